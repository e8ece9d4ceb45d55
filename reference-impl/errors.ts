// The two kinds of failure of the reference PE: a configuration it refuses to start with,
// and a request it refuses to decide (answered with a typed pe-zt error body).
import { ERROR_CODES, type ErrorCode } from '../schemas/decision.js';

/**
 * The PE was given a policy set, entities file or option it cannot serve with. The message
 * names the file, the line and column where there is one, what is wrong and the fix. The
 * PE never starts serving with a broken configuration.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string, readonly file?: string) {
    super(message);
  }
}

/** A request the PE answers with an error status and an ErrorBody (DEC-070), never a decision (DEC-077). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    readonly pointer?: string,
    readonly headers?: Readonly<Record<string, string>>,
    /** Another status than the registry's, where an endpoint's own standard says so (SIG-145: 415 on the SSF endpoints). */
    status?: number,
  ) {
    super(description);
    this.status = status ?? ERROR_CODES[code];
  }
}
