// Moved to harness/base/spec-requirements.ts (issue 14 §15); this re-export keeps branches in flight compiling.
export * from '../base/spec-requirements.js';
