import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

/** The error codes of the pe-zt profile and the HTTP status of each (spec/decision.md, Errors). */
export const ERROR_CODES = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  payload_too_large: 413,
  // DEC-073: 400, not 415, as the AuthZEN certification scenario (c-2-4-3) requires.
  unsupported_media_type: 400,
  // RFC 9110 §15.5.16: a content coding the PE does not decode.
  unsupported_content_encoding: 415,
  too_many_requests: 429,
  header_fields_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
  // SIG-183: the state a presented consistency token asks for was not reached in time.
  consistency_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorBody = Type.Object({
  error: Type.Union(Object.keys(ERROR_CODES).map((c) => Type.Literal(c)), { description: 'Stable error code from the registry.' }),
  error_description: Type.String({ description: 'Human-readable explanation naming the offending field and the fix.' }),
  pointer: Type.Optional(Type.String({ pattern: '^(/([^~/]|~[01])*)*$', description: 'JSON Pointer (RFC 6901) to the offending member of the request body.' })),
}, {
  additionalProperties: true,
  ...meta('decision', 'error', 'ErrorBody',
    'The typed error body of every 4xx and 5xx answer under the pe-zt class (DEC-070).',
    [{ error: 'invalid_request', error_description: 'subject.id must be a string', pointer: '/subject/id' }]),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** AuthZEN 1.0 Section 7.1.2 example: a per-item error inside a batch answer. */
export const ItemError = Type.Object({
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  message: Type.String(),
  code: Type.Optional(Type.String({ description: 'pe-zt: the error code from the registry.' })),
  pointer: Type.Optional(Type.String()),
}, {
  additionalProperties: true,
  ...meta('decision', 'item-error', 'ItemError',
    'The error of one item of a batch: its decision is false and this is its context.error (DEC-025).',
    [{ status: 400, message: 'evaluations[1].resource is missing and no default is given', code: 'invalid_request', pointer: '/evaluations/1/resource' }]),
});
