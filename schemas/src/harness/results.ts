import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

export const VERDICTS = ['pass', 'fail', 'warn', 'not-applicable', 'error'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** An HTTP request as the harness sent it; the harness credential is replaced by "[credential redacted]". */
export const RecordedRequest = Type.Object({
  method: Type.String(),
  url: Type.String(),
  headers: Type.Record(Type.String(), Type.String()),
  body: Type.Optional(Type.String({ description: 'The body when it is UTF-8.' })),
  bodyBase64: Type.Optional(Type.String({ description: 'The body bytes when they are not UTF-8.' })),
}, { title: 'RecordedRequest' });

export const RecordedResponse = Type.Object({ status: Type.Integer(), headers: Type.Record(Type.String(), Type.String()), body: Type.String() }, { title: 'RecordedResponse' });

const Exchange = Type.Object({
  request: RecordedRequest,
  response: Type.Optional(RecordedResponse),
  error: Type.Optional(Type.String()),
  ms: Type.Number(),
}, { title: 'Exchange' });

export const CheckResult = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: Type.Union([Type.Literal('structural'), Type.Literal('property'), Type.Literal('scenario')]),
  classes: Type.Array(Type.String()),
  requirements: Type.Array(Type.String()),
  keyword: Type.Union([Type.Literal('MUST'), Type.Literal('SHOULD'), Type.Literal('MAY')]),
  verdict: Type.Union(VERDICTS.map((v) => Type.Literal(v))),
  message: Type.Optional(Type.String()),
  cases: Type.Integer({ minimum: 0 }),
  duration_ms: Type.Number(),
  failure: Type.Optional(Type.Object({
    message: Type.String(),
    seed: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    replay: Type.String({ description: 'Command that reruns exactly this case.' }),
    replay_token: Type.Optional(Type.String({ description: 'CHECK@SEED[:PATH]: `zti test --replay TOKEN` (with the same target flags) reruns exactly this case.' })),
    curl: Type.Optional(Type.String()),
    exchange: Type.Optional(Exchange),
    vector_file: Type.Optional(Type.String()),
  })),
}, { title: 'CheckResult' });

const BaselineEntry = Type.Object({
  check: Type.String({ description: 'The entry as the file gives it: a check ID or a glob.' }),
  reason: Type.String(),
  tracking: Type.Optional(Type.String()),
}, { additionalProperties: false, title: 'BaselineEntry' });

const BaselineMatch = Type.Object({
  id: Type.String({ description: 'The check ID.' }),
  entry: BaselineEntry,
}, { additionalProperties: false, title: 'BaselineMatch' });

/** How a run compares with an --expected-failures file; only new failures fail the run. */
export const BaselineClassification = Type.Object({
  file: Type.String({ description: 'The expected-failures file, as given to --expected-failures.' }),
  new_failures: Type.Array(Type.String(), { description: 'Checks that failed and no entry lists: they fail the run.' }),
  expected_failures: Type.Array(BaselineMatch, { description: 'Checks that failed (or warned) and an entry lists: they do not fail the run.' }),
  newly_passing: Type.Array(BaselineMatch, { description: 'Checks that an entry lists but that passed: remove the entry.' }),
  unused_entries: Type.Array(BaselineEntry, { description: 'Entries that match no check of the run.' }),
}, { additionalProperties: false, title: 'BaselineClassification' });

export const ResultsFile = Type.Object({
  zti_results: Type.Literal('1.0'),
  tool: Type.Object({ name: Type.String(), version: Type.String() }),
  target: Type.Object({
    url: Type.String(),
    embedded: Type.Boolean(),
    classes: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Classes served by a target of their own (zti.config.json "targets"), with its base URL; the others were tested at url.' })),
  }),
  started_at: Type.String({ format: 'date-time' }),
  duration_ms: Type.Number(),
  seed: Type.String(),
  runs: Type.Integer(),
  classes: Type.Array(Type.String()),
  summary: Type.Object({ pass: Type.Integer(), fail: Type.Integer(), warn: Type.Integer(), 'not-applicable': Type.Integer(), error: Type.Integer() }),
  checks: Type.Array(CheckResult),
  baseline: Type.Optional(BaselineClassification),
}, {
  additionalProperties: false,
  ...meta('harness', 'results', 'ResultsFile', 'The versioned JSON results of one zti test run.',
    [{ zti_results: '1.0', tool: { name: 'zti', version: '0.1.0' }, target: { url: 'http://127.0.0.1:8080', embedded: true }, started_at: '2026-11-23T18:00:00Z', duration_ms: 1200, seed: '42', runs: 100, classes: ['authzen-core'], summary: { pass: 1, fail: 0, warn: 0, 'not-applicable': 0, error: 0 }, checks: [] }]),
});
export type ResultsFile = Static<typeof ResultsFile>;
export type CheckResult = Static<typeof CheckResult>;
export type BaselineClassification = Static<typeof BaselineClassification>;
