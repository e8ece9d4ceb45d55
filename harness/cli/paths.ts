// Moved to harness/base/paths.ts (issue 14 §15); this re-export keeps branches in flight compiling.
export { PACKAGE_ROOT, SPEC_DIR, VECTORS_DIR, VERSION } from '../base/paths.js';
