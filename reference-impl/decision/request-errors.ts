// Schema violations as pe-zt errors: 400 invalid_request with the pointer of the offending
// member (DEC-071), from the shared ajv validators (schemas/decision.ts).
import type { Invalid } from '../../schemas/validators.js';
import { HttpError } from '../errors.js';

export function invalidRequest(bad: Invalid | undefined): HttpError {
  const b = bad ?? { pointer: '', description: 'the body does not match the request schema' };
  return new HttpError('invalid_request', `${b.description}; correct it and send the request again`, b.pointer);
}
