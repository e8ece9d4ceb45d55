// `zti vectors record`: runs the harness's checks against a target and keeps, for each check
// the target passed, every request it was sent and what it answered, as one vector file.
// Recorded against a reference, the files tell whether another target answers the same way
// (`zti vectors replay DIR --target URL`): the interop-event use of golden vectors.
import type { CheckResult } from '../../schemas/src/harness/results.js';
import { VECTOR_FORMAT_VERSION, type VectorFile } from '../../schemas/src/vectors/vector-file.js';
import type { Check } from '../engine/check.js';
import { REDACTED, type Exchange } from '../engine/http-client.js';
import type { VectorExpectation } from './execute.js';
import { vectorRequest } from './record.js';

export interface RecorderOptions {
  /** Base URL of the recorded target. */
  target: string;
  /** Header that carried the harness's credential; absent when the target needs none. */
  authHeader?: string | undefined;
  /** The fixture the target has loaded: only then are decisions recorded (they depend on the policy). */
  fixture: string | null;
  seed: number;
}

/** Why a recorded exchange is not kept as a step. */
export type Omission = 'no response' | 'other credentials' | 'page token' | 'no content type';

export class VectorRecorder {
  private readonly byCheck = new Map<string, { check: Check; steps: VectorFile['steps']; omitted: Map<Omission, number> }>();

  constructor(private readonly opts: RecorderOptions) {}

  add(check: Check, _caseNo: number, x: Exchange): void {
    let entry = this.byCheck.get(check.id);
    if (!entry) this.byCheck.set(check.id, entry = { check, steps: [], omitted: new Map() });
    const why = this.omission(x);
    if (why) {
      entry.omitted.set(why, (entry.omitted.get(why) ?? 0) + 1);
      return;
    }
    entry.steps.push({ request: vectorRequest(x, this.opts.target, this.opts.authHeader), expect: this.observed(x.response!) });
  }

  /** One vector per check that passed; checks that did not pass are not recorded, so no failure becomes an expectation. */
  vectors(results: readonly CheckResult[]): { vectors: VectorFile[]; skipped: { id: string; why: string }[] } {
    const vectors: VectorFile[] = [];
    const skipped: { id: string; why: string }[] = [];
    const recordedAt = new Date().toISOString();
    for (const r of results) {
      const entry = this.byCheck.get(r.id);
      if (r.verdict !== 'pass') {
        if (entry) skipped.push({ id: r.id, why: `${r.verdict}: only checks the target passes are recorded` });
        continue;
      }
      // Signal checks depend on their run: SET jtis are new each run (a receiver keeps a replay
      // cache) and stream ids exist only at the recorded target; replayed elsewhere they fail.
      if (entry && entry.check.class.startsWith('signal-')) {
        skipped.push({ id: r.id, why: 'a signal check: its SETs and stream ids are valid only in the recorded run at the recorded target' });
        continue;
      }
      if (!entry || entry.steps.length === 0) {
        skipped.push({ id: r.id, why: entry ? `no exchange could be kept (${[...entry.omitted].map(([k, n]) => `${n} ${k}`).join(', ')})` : 'sent no request' });
        continue;
      }
      const { check, steps, omitted } = entry;
      const left = [...omitted].map(([k, n]) => `${n} with ${k === 'no response' ? 'no response' : k === 'page token' ? "a page token (valid only at the recorded target)" : 'credentials other than the harness\'s'}`).join(', ');
      vectors.push({
        zti_vectors: VECTOR_FORMAT_VERSION,
        id: `recorded/${check.id}`.toLowerCase().replace(/[^a-z0-9._/-]/g, '-'),
        title: `Recorded: ${check.title}`,
        description: `The requests of ${check.id} (seed ${this.opts.seed}) and what ${this.opts.target} answered; it passed the check.${this.opts.fixture ? '' : ' No fixture was named, so decisions are not recorded, only statuses.'}${left ? ` Left out: ${left}.` : ''}`,
        family: (['decision', 'signals', 'grants', 'agents'] as const).find((f) => check.id.startsWith(`${f}/`)) ?? 'decision',
        classes: [check.class],
        requirements: [...check.requirements],
        fixture: this.opts.fixture,
        origin: { kind: 'recorded', check: check.id, seed: String(this.opts.seed), target: this.opts.target, recorded_at: recordedAt },
        steps,
      });
    }
    return { vectors, skipped };
  }

  private omission(x: Exchange): Omission | undefined {
    if (!x.response) return 'no response';
    // Requests a check sent with no or bogus credentials (authentication checks) cannot be
    // replayed as they were: a replay always sends the replaying harness's own credential.
    // One sent with none whose answer did not turn on that (public discovery) replays fine.
    const sent = x.request.headers[this.opts.authHeader?.toLowerCase() ?? 'authorization'];
    const harnessCredential = this.opts.authHeader ? sent === REDACTED : sent === undefined;
    const anonymousAndAnswered = sent === undefined && x.response.status !== 401 && x.response.status !== 403;
    if (!harnessCredential && !anonymousAndAnswered) return 'other credentials';
    if (carriesPageToken(x.request.body)) return 'page token';
    // A body sent without Content-Type (decision/*/malformed-axes) cannot be replayed so: a replay labels a JSON body application/json.
    if (x.request.body !== undefined && x.request.body !== '' && x.request.headers['content-type'] === undefined) return 'no content type';
    return undefined;
  }

  /** What the target answered, in the terms a vector compares. */
  private observed(res: NonNullable<Exchange['response']>): VectorExpectation {
    // Error statuses by class: the spec fixes the class (4xx), rarely the exact code.
    const expect: VectorExpectation = { status: res.status >= 400 ? `${Math.floor(res.status / 100)}xx` : res.status };
    if (!this.opts.fixture || res.status !== 200) return expect;
    let body: unknown;
    try {
      body = JSON.parse(res.body) as unknown;
    } catch {
      return expect;
    }
    if (typeof body !== 'object' || body === null) return expect;
    const b = body as { decision?: unknown; evaluations?: unknown };
    if (typeof b.decision === 'boolean') expect.decision = b.decision;
    if (Array.isArray(b.evaluations) && b.evaluations.every((e) => typeof (e as { decision?: unknown } | null)?.decision === 'boolean')) {
      expect.evaluations = b.evaluations.map((e) => (e as { decision: boolean }).decision);
    }
    return expect;
  }
}

function carriesPageToken(body: string | undefined): boolean {
  if (body === undefined) return false;
  try {
    const parsed = JSON.parse(body) as { page?: { token?: unknown } } | null;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.page === 'object' && parsed.page !== null && 'token' in parsed.page;
  } catch {
    return false;
  }
}
