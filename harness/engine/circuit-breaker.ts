// A target that stops answering is a harness error, not a breach (issue 14 §5): once a
// request times out or cannot connect and the target then fails a liveness probe too, the
// breaker opens and every further request of the run fails at once with the reason, instead
// of each check (and each shrinking step) waiting out its own timeout.
import { HarnessError } from './failure.js';

/** How a request that got no answer failed, from undici's error name and code. */
export type TransportKind = 'timeout' | 'connect' | 'closed';

export function transportKind(error: string | undefined): TransportKind {
  const e = error ?? '';
  if (/Timeout|ETIMEDOUT/i.test(e)) return 'timeout';
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ConnectTimeout/i.test(e)) return 'connect';
  return 'closed';
}

/** Thrown for every request once the breaker is open; the runner grades it "error". */
export class TargetStoppedError extends HarnessError {
  constructor(message: string) {
    super(message);
    this.name = 'TargetStoppedError';
  }
}

/** The hooks the HTTP client calls around each request. */
export interface RequestGate {
  /** Throws TargetStoppedError when the breaker is open. */
  before(): void;
  /** A response arrived (any status). */
  answered(): void;
}

export class CircuitBreaker implements RequestGate {
  private answeredCount = 0;
  private reason: string | undefined;
  private probing: Promise<boolean> | undefined;

  /** `probe` resolves true when the target answers anything at all. */
  constructor(private readonly probe: () => Promise<boolean>) {}

  get open(): string | undefined { return this.reason; }

  before(): void {
    if (this.reason) throw new TargetStoppedError(this.reason);
  }

  answered(): void { this.answeredCount++; }

  /**
   * After a request got no answer: does the target still answer a liveness probe? When it
   * does not, the breaker opens with "the target stopped answering after N requests". Calls
   * made while a probe is under way share it.
   */
  async stillAnswering(cause: string): Promise<boolean> {
    if (this.reason) return false;
    this.probing ??= this.probe().catch(() => false).then((alive) => {
      this.probing = undefined;
      if (!alive && !this.reason) {
        this.reason = `the target stopped answering after ${this.answeredCount} answered request${this.answeredCount === 1 ? '' : 's'} (${cause}; a liveness probe got no answer either), so the run stopped: check that the target is up, or raise --timeout if it is only slow`;
      }
      return alive;
    });
    return this.probing;
  }
}
