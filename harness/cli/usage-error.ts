// Moved to harness/base/usage-error.ts (issue 14 §15); this re-export keeps branches in flight compiling.
export { UsageError } from '../base/usage-error.js';
