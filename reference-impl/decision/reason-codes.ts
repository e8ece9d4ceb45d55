// The reason code registry lives with its schema (schemas/src/decision/zt-context.ts).
export { REASON_CODES, type ReasonCode, isAllowedReasonCode as isAcceptableReasonCode } from '../../schemas/decision.js';
