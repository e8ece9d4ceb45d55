// One check, every finding (issue 14 §6): a check made of sub-cases runs each of them and
// reports every distinct failure, instead of stopping at the first and hiding the rest.
import { CheckFailure } from './failure.js';

export class Findings {
  private readonly found: CheckFailure[] = [];

  /** Runs one sub-case; a CheckFailure is recorded, anything else (a harness error, no answer) ends the check as before. */
  async each(run: () => Promise<void> | void): Promise<void> {
    try {
      await run();
    } catch (e) {
      if (!(e instanceof CheckFailure)) throw e;
      if (!this.found.some((f) => f.message === e.message)) this.found.push(e);
    }
  }

  /** Throws the findings, the first one's evidence leading; one finding is thrown as it is. */
  done(): void {
    const [first, ...rest] = this.found;
    if (!first) return;
    if (rest.length === 0) throw first;
    const message = `${this.found.length} distinct failures: ${this.found.map((f, i) => `(${i + 1}) ${f.message}`).join('; ')}`;
    throw new CheckFailure(message, first.exchange, { ...first.details, findings: this.found.map((f) => f.message) });
  }
}
