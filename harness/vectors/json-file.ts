// Moved to harness/base/json-file.ts (issue 14 §15); this re-export keeps branches in flight compiling.
export * from '../base/json-file.js';
