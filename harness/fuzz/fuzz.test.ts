// R1 in small: the fuzzer against an in-process reference PE must count zero 5xx, zero
// dropped connections, zero permits and zero untyped replies. The full run (100,000
// messages per endpoint) is `npm run fuzz`; nothing here measures time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { MessageSource, runFuzz, verdictOf } from './fuzzer.js';
import { ENDPOINTS, encode, type EndpointName } from './mutations.js';
import { judge } from './oracle.js';

const NAMES = Object.keys(ENDPOINTS) as EndpointName[];
const SEED = 20261123;
const MEMBERS = ['subject', 'action', 'resource', 'context'];

describe('R1 fuzzing of the reference PE', () => {
  let pe: RunningPe;
  beforeAll(async () => { pe = await startReferencePe({ port: 0, logger: false }); });
  afterAll(async () => { await pe.close(); });

  it('answers 300 malformed messages per endpoint, and 10 MB bodies, with typed errors only', async () => {
    const report = await runFuzz({ baseUrl: pe.url, token: pe.tokens[0], count: 300, seconds: 600, seed: SEED, big: 3, connections: 4, concurrency: 8 });
    // Every failure names its message, so a red test is a reproduction (npm run fuzz -- --seed ... --index ...).
    expect(report.endpoints.flatMap((e) => e.examples.map((x) => `${e.endpoint} #${x.index} ${x.kind}: ${x.what} -> ${x.status ?? '-'} ${x.detail}`))).toEqual([]);
    expect(verdictOf(report)).toEqual({ fiveXx: 0, transport: 0, permits: 0, untyped: 0, crashed: false, clean: true });
    for (const e of report.endpoints) {
      expect(e.sent).toBe(303);
      expect(e.status['4xx'] + e.status['2xx']).toBe(303);
    }
    expect(report.alive).toBe(true);
  }, 180_000);
});

describe('the malformed-message generators', () => {
  it('send the same messages for the same seed, and others for another seed', () => {
    for (const name of NAMES) {
      const a = new MessageSource(name, SEED);
      const b = new MessageSource(name, SEED);
      const c = new MessageSource(name, SEED + 1);
      const bodies = (s: MessageSource) => [0, 1, 63, 64, 200, 777].map((i) => encode(s.at(i)).body.toString('base64'));
      expect(bodies(b)).toEqual(bodies(a));
      expect(bodies(c)).not.toEqual(bodies(a));
    }
  });

  it('break the request schema of their endpoint whenever the body is a JSON value', () => {
    const schemaOf: Partial<Record<EndpointName, (v: unknown) => boolean>> = {
      evaluation: validate.evaluationRequest,
      'search-subject': validate.subjectSearchRequest,
      'search-resource': validate.resourceSearchRequest,
      'search-action': validate.actionSearchRequest,
    };
    for (const [name, valid] of Object.entries(schemaOf) as Array<[EndpointName, (v: unknown) => boolean]>) {
      const source = new MessageSource(name, SEED);
      for (let i = 0; i < 1000; i++) {
        const m = source.at(i);
        // Text and bytes are broken below the schema (syntax, UTF-8, depth, size); a wrong Content-Type or
        // credential, or a rule the schema cannot state, is the fault of its own message; any other object
        // must break the schema itself.
        if (typeof m.body === 'string' || Buffer.isBuffer(m.body) || m.contentType !== undefined || m.auth !== undefined || m.beyondSchema) continue;
        expect(valid(m.body), `${name} #${i}: ${m.what} is valid against the schema`).toBe(false);
      }
    }
  });

  it('break every batch as a whole, or every one of its items once the defaults are merged', () => {
    const source = new MessageSource('evaluations', SEED);
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    for (let i = 0; i < 1000; i++) {
      const m = source.at(i);
      if (typeof m.body === 'string' || Buffer.isBuffer(m.body) || m.contentType !== undefined || m.auth !== undefined || m.beyondSchema) continue;
      const body = m.body;
      const what = `evaluations #${i}: ${m.what}`;
      if (!isObject(body)) { expect(validate.evaluationsRequest(body), what).toBe(false); continue; }
      const items = body['evaluations'];
      if (m.expect === 'error-or-item-errors') {
        expect(Array.isArray(items) && items.length > 0, what).toBe(true);
        for (const item of items as unknown[]) {
          if (!isObject(item)) continue; // a non-object item is invalid in itself
          // AuthZEN 1.0 Section 7.1.1: an item's own member replaces the default wholesale.
          const merged = Object.fromEntries(MEMBERS.flatMap((k) => { const v = item[k] !== undefined ? item[k] : body[k]; return v === undefined ? [] : [[k, v]]; }));
          expect(validate.evaluationRequest(merged), what).toBe(false);
        }
      } else if (Array.isArray(items) && items.length > 0) {
        expect(validate.evaluationsRequest(body), what).toBe(false);
      } else {
        // No items: the single-evaluation fallback (DEC-022) of the top-level members.
        const single = Object.fromEntries(MEMBERS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
        expect(validate.evaluationsRequest(body) && validate.evaluationRequest(single), what).toBe(false);
      }
    }
  });

  it('accept only typed answers: an ErrorBody of the right status, or all-denied item errors for an all-invalid batch', () => {
    const m = { what: 'x', body: {} };
    expect(judge(m, 400, 'application/json', '{"error":"invalid_request","error_description":"d","pointer":"/subject"}').typed).toBe(true);
    expect(judge(m, 400, 'application/json', '{"error":"unauthorized","error_description":"d"}').typed).toBe(false);
    expect(judge(m, 400, 'text/plain', '{"error":"invalid_request","error_description":"d"}').typed).toBe(false);
    expect(judge(m, 400, 'application/json', '{"error":"invalid_request","error_description":"d","decision":false}').typed).toBe(false);
    expect(judge(m, 200, 'application/json', '{"decision":false}').typed).toBe(false);
    expect(judge(m, 500, 'application/json', '{"error":"internal_error","error_description":"d"}').statusClass).toBe('5xx');
    const batch = { what: 'x', body: {}, expect: 'error-or-item-errors' as const };
    expect(judge(batch, 200, 'application/json', '{"evaluations":[{"decision":false,"context":{"error":{"status":400,"message":"m"}}}]}').typed).toBe(true);
    expect(judge(batch, 200, 'application/json', '{"evaluations":[{"decision":false}]}').typed).toBe(false);
    expect(judge(batch, 200, 'application/json', '{"evaluations":[{"decision":true,"context":{"error":{"status":400,"message":"m"}}}]}').permit).toBe(true);
  });
});
