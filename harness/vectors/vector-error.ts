// Moved to harness/base/vector-error.ts (issue 14 §15); this re-export keeps branches in flight compiling.
export * from '../base/vector-error.js';
