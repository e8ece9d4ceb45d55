// The deadline of a whole run (`zti test --deadline`). A hostile target that answers slowly,
// or each request just inside --timeout, can otherwise stretch a run without bound; once the
// deadline passes, every request in flight is aborted, no new one is sent, and the checks
// not finished get the verdict "error" (the harness could not run them), never "pass".
import { HarnessError } from './failure.js';

/** Default --deadline, 10 min: well inside common CI job limits (GitLab's default job timeout is 1 h), about ten times the default suite against a sound target. */
export const DEFAULT_DEADLINE_MS = 10 * 60 * 1000;

/** How long checks get, after the deadline aborted their requests, to report before the run ends without them. */
const SETTLE_GRACE_MS = 2_000;

export class RunDeadline {
  readonly signal: AbortSignal;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly ms: number) {
    const controller = new AbortController();
    this.signal = controller.signal;
    this.timer = setTimeout(() => controller.abort(this.error()), ms);
    this.timer.unref();
  }

  get passed(): boolean {
    return this.signal.aborted;
  }

  /** What a request refused or aborted by the deadline throws. */
  error(): HarnessError {
    return new HarnessError(`the run's deadline of ${this.ms} ms (--deadline) passed before this check finished; its requests were aborted`);
  }

  /** Waits for `work`, but no longer than the deadline plus a short grace; true when it finished. */
  async settle(work: Promise<unknown>): Promise<boolean> {
    let finished = false;
    const done = work.then(() => { finished = true; });
    const limit = new Promise<void>((resolve) => {
      const wait = () => { setTimeout(resolve, SETTLE_GRACE_MS).unref(); };
      if (this.signal.aborted) wait(); else this.signal.addEventListener('abort', wait, { once: true });
    });
    await Promise.race([done, limit]);
    return finished;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
