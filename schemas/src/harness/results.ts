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

/** The harness's part in an exchange: client when it sent the request (the default), server when a peer sent it to one of the harness's own servers (harness/engine/local-server.ts). */
export const ExchangeRole = Type.Union([Type.Literal('client'), Type.Literal('server')], { title: 'ExchangeRole', description: 'client: the harness sent the request (the default); server: a peer sent it to a server the harness runs (its transmitter JWKS and SSF metadata, its push endpoint).' });

const Exchange = Type.Object({
  role: Type.Optional(ExchangeRole),
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
  scenario: Type.Optional(Type.Array(Type.String(), { description: 'Test IDs of an external certification scenario this check implements, e.g. ["c-2-2-1"] of the OpenID AuthZEN certification scenario (zti test --profile authzen-cert).' })),
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

export const PROFILE_LEVEL_VERDICTS = ['pass', 'fail', 'not-run'] as const;

/** A certification level of a profile and how the run graded it. */
export const ProfileLevel = Type.Object({
  id: Type.String({ description: 'The level, e.g. "basic-core".' }),
  verdict: Type.Union(PROFILE_LEVEL_VERDICTS.map((v) => Type.Literal(v)), { description: 'pass: every check of the level (and of the levels it requires) passed or only warned; fail: one failed or could not run; not-run: the level was not selected.' }),
  checks: Type.Array(Type.String(), { description: 'IDs of the checks the level consists of.' }),
  required_by: Type.Optional(Type.Array(Type.String(), { description: 'Selected levels that pulled this one in as a prerequisite when it was not selected itself.' })),
  message: Type.Optional(Type.String({ description: 'Why the level failed: its failing checks, or the prerequisite that failed.' })),
}, { additionalProperties: false, title: 'ProfileLevel' });

/** The certification profile a run was made under (zti test --profile), with a verdict per level. */
export const ProfileResult = Type.Object({
  name: Type.String({ description: 'The profile, e.g. "authzen-cert".' }),
  levels: Type.Array(ProfileLevel),
}, { additionalProperties: false, title: 'ProfileResult' });

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
  profile: Type.Optional(ProfileResult),
}, {
  additionalProperties: false,
  ...meta('harness', 'results', 'ResultsFile', 'The versioned JSON results of one zti test run.',
    [{ zti_results: '1.0', tool: { name: 'zti', version: '0.1.0' }, target: { url: 'http://127.0.0.1:8080', embedded: true }, started_at: '2026-11-23T18:00:00Z', duration_ms: 1200, seed: '42', runs: 100, classes: ['authzen-core'], summary: { pass: 1, fail: 0, warn: 0, 'not-applicable': 0, error: 0 }, checks: [] }]),
});
export type ResultsFile = Static<typeof ResultsFile>;
export type CheckResult = Static<typeof CheckResult>;
export type BaselineClassification = Static<typeof BaselineClassification>;
export type ProfileResult = Static<typeof ProfileResult>;
export type ProfileLevel = Static<typeof ProfileLevel>;
