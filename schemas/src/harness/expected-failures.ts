import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

export const ExpectedFailureEntry = Type.Object({
  check: Type.String({ minLength: 1, description: 'A check ID as `zti test --list` prints it, or a glob where "*" is any run of characters.' }),
  reason: Type.String({ minLength: 1, description: 'Why the check is known to fail; printed with each run that still fails it.' }),
  tracking: Type.Optional(Type.String({ minLength: 1, description: 'Where the fix is tracked: an issue URL or a ticket ID.' })),
}, { additionalProperties: false, title: 'ExpectedFailureEntry' });

export const ExpectedFailures = Type.Object({
  zti_expected_failures: Type.Literal('1.0'),
  entries: Type.Array(ExpectedFailureEntry),
}, {
  additionalProperties: false,
  ...meta('harness', 'expected-failures', 'ExpectedFailures',
    'A baseline for zti test --expected-failures: checks known to fail on an implementation. A listed check that fails does not fail the run; a listed check that passes is reported so that its entry can be removed.',
    [{ zti_expected_failures: '1.0', entries: [{ check: 'decision/zt/request-id-echo', reason: 'the gateway strips X-Request-ID', tracking: 'https://tracker.example.com/PDP-42' }, { check: 'decision/search/*', reason: 'search is not implemented yet' }] }]),
});
export type ExpectedFailures = Static<typeof ExpectedFailures>;
export type ExpectedFailureEntry = Static<typeof ExpectedFailureEntry>;
