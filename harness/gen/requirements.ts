// Generates spec/generated/requirements.md: every requirement with its keyword, class,
// schema and the checks that prove it.
import type { Check } from '../engine/check.js';
import type { Requirement } from './spec-requirements.js';

// The signal receiver's MUSTs are proved by its own tests over HTTP until the signal-receiver
// checks (sig-harness) name them; then these entries give way to the checks.
const SIGNAL_RECEIVER_TESTS = 'reference-impl/signals/push-endpoint.test.ts, over HTTP against the reference PE (until the signal-receiver checks of harness/checks/signals land)';

/** Requirements proven by the repository's own tests rather than by a check against a target. */
export const PROVEN_BY_TESTS: Record<string, string> = {
  'SIG-001': SIGNAL_RECEIVER_TESTS,
  'SIG-002': SIGNAL_RECEIVER_TESTS,
  'SIG-003': SIGNAL_RECEIVER_TESTS,
  'SIG-004': SIGNAL_RECEIVER_TESTS,
  'SIG-005': SIGNAL_RECEIVER_TESTS,
  'SIG-006': SIGNAL_RECEIVER_TESTS,
  'SIG-007': SIGNAL_RECEIVER_TESTS,
  'SIG-008': SIGNAL_RECEIVER_TESTS,
  'SIG-009': SIGNAL_RECEIVER_TESTS,
  'SIG-010': SIGNAL_RECEIVER_TESTS,
  'SIG-011': SIGNAL_RECEIVER_TESTS,
  'SIG-012': SIGNAL_RECEIVER_TESTS,
  'SIG-013': SIGNAL_RECEIVER_TESTS,
  'SIG-014': SIGNAL_RECEIVER_TESTS,
  'SIG-015': SIGNAL_RECEIVER_TESTS,
  'SIG-016': SIGNAL_RECEIVER_TESTS,
  'SIG-017': SIGNAL_RECEIVER_TESTS,
  'SIG-018': SIGNAL_RECEIVER_TESTS,
  'SIG-020': SIGNAL_RECEIVER_TESTS,
  'SIG-022': SIGNAL_RECEIVER_TESTS,
  'SIG-030': SIGNAL_RECEIVER_TESTS,
  'SIG-031': SIGNAL_RECEIVER_TESTS,
  'SIG-032': SIGNAL_RECEIVER_TESTS,
  'SIG-033': SIGNAL_RECEIVER_TESTS,
  'SIG-034': SIGNAL_RECEIVER_TESTS,
  'SIG-035': SIGNAL_RECEIVER_TESTS,
  'SIG-037': SIGNAL_RECEIVER_TESTS,
  'SIG-038': SIGNAL_RECEIVER_TESTS,
  'SIG-039': SIGNAL_RECEIVER_TESTS,
  'SIG-040': SIGNAL_RECEIVER_TESTS,
  'SIG-021': 'reference-impl/signals/set-verify.test.ts (the order of the checks)',
  'SIG-024': 'reference-impl/signals/set-verify.test.ts (the event payload hook)',
  'SIG-025': 'reference-impl/signals/transmitter-keys.test.ts',
  'SIG-026': 'reference-impl/signals/transmitter-keys.test.ts',
  'SIG-027': 'reference-impl/signals/transmitter-keys.test.ts and push-endpoint.test.ts',
  'SIG-042': 'reference-impl/signals/poll-client.test.ts, against a poll transmitter on 127.0.0.1',
  'SIG-043': 'reference-impl/signals/poll-client.test.ts',
  'SIG-044': 'reference-impl/signals/poll-client.test.ts',
  'SIG-045': 'reference-impl/signals/poll-client.test.ts',
  'SIG-170': 'harness/cli/serve-signals.test.ts: kill -9 of `zti serve --data` at random points of a burst; every 202 is held after restart',
  'SIG-171': 'harness/cli/serve-signals.test.ts (a damaged and a foreign database: exit 2) and reference-impl/lib/store.test.ts',
  'SIG-172': 'harness/cli/serve-signals.test.ts (`zti serve` without --data says its store is in memory)',
  'SIG-173': 'reference-impl/signals/signal-store.test.ts',
  'VEC-001': '`zti vectors validate` (run by harness/vectors tests on every test run)',
  'VEC-002': '`zti vectors validate`',
  'VEC-003': '`zti vectors validate`',
  'VEC-004': 'harness/vectors/replay.test.ts replays every vector against the reference',
  // Signals, trust (sig-trust): proved for the reference by its tests until the signal-receiver
  // checks (sig-harness) cite them; those checks add themselves here as they land.
  ...Object.fromEntries(['TRU-001', 'TRU-002', 'TRU-003', 'TRU-010', 'TRU-011', 'TRU-012', 'TRU-013', 'TRU-020', 'TRU-021',
    'TRU-030', 'TRU-031', 'TRU-032', 'TRU-040', 'TRU-041', 'TRU-042', 'TRU-043', 'TRU-050', 'TRU-051', 'TRU-052', 'TRU-053', 'TRU-054']
    .map((id) => [id, 'reference-impl/signals/trust.test.ts and every vectors/signals/trust vector run through the reference'])),
  'TRU-060': 'reference-impl/signals/trust-in-decisions.test.ts (over HTTP)',
  'TRU-061': 'reference-impl/signals/trust-in-decisions.test.ts (over HTTP)',
  'TRU-062': 'reference-impl/signals/trust-in-decisions.test.ts (over HTTP)',
  'TRU-080': 'reference-impl/signals/trust-vectors.test.ts and `zti vectors validate`',
  'TRU-081': 'reference-impl/signals/trust-vectors.test.ts (the reference; the signal-receiver check pends)',
  ...Object.fromEntries(['SIG-050', 'SIG-051', 'SIG-052', 'SIG-053', 'SIG-054', 'SIG-056', 'SIG-057', 'SIG-058', 'SIG-060', 'SIG-062', 'SIG-063']
    .map((id) => [id, 'schemas/src/signals/events.test.ts (every event schema against its upstream examples and broken variants)'])),
  // Interim, until the signal-transmitter checks of branch sig-harness cite these IDs: the
  // reference transmitter's own tests over HTTP prove spec/signals.md §2.5-2.7. Remove then.
  ...Object.fromEntries([
    'SIG-080', 'SIG-081', 'SIG-082', 'SIG-083', 'SIG-084', 'SIG-086', 'SIG-087', 'SIG-088', 'SIG-089', 'SIG-090', 'SIG-091', 'SIG-092', 'SIG-093', 'SIG-094', 'SIG-095', 'SIG-096', 'SIG-097', 'SIG-098', 'SIG-099', 'SIG-101', 'SIG-102', 'SIG-103', 'SIG-104', 'SIG-105', 'SIG-106', 'SIG-107', 'SIG-108', 'SIG-109', 'SIG-120', 'SIG-121', 'SIG-123', 'SIG-124', 'SIG-125', 'SIG-126', 'SIG-127', 'SIG-128', 'SIG-129', 'SIG-130', 'SIG-131', 'SIG-132', 'SIG-133', 'SIG-134', 'SIG-135', 'SIG-136', 'SIG-140', 'SIG-141', 'SIG-142', 'SIG-143', 'SIG-145', 'SIG-146', 'SIG-150', 'SIG-151', 'SIG-152', 'SIG-153', 'SIG-154', 'SIG-155', 'SIG-157', 'SIG-158',
  ].map((id) => [id, 'reference-impl/signals/transmitter tests over HTTP (interim: the signal-transmitter check is written on sig-harness)'])),
};

export function proofsOf(requirements: Requirement[], checks: readonly Check[]): Map<string, string[]> {
  const proofs = new Map<string, string[]>(requirements.map((r) => [r.id, []]));
  for (const c of checks) for (const id of c.requirements) proofs.get(id)?.push(`\`${c.id}\``);
  for (const [id, how] of Object.entries(PROVEN_BY_TESTS)) proofs.get(id)?.push(how);
  return proofs;
}

export function generateRequirementsTable(requirements: Requirement[], checks: readonly Check[]): Map<string, string> {
  const proofs = proofsOf(requirements, checks);
  const lines = [
    '<!-- Generated by `npm run gen` from spec/*.md and the harness check registry. Do not edit. -->',
    '# Requirements',
    '',
    `${requirements.length} requirements: ${requirements.filter((r) => r.keyword === 'MUST').length} MUST, ${requirements.filter((r) => r.keyword === 'SHOULD').length} SHOULD, ${requirements.filter((r) => r.keyword === 'MAY').length} MAY, ${requirements.filter((r) => r.keyword === 'withdrawn').length} withdrawn.`,
    '',
    '| ID | keyword | class | requirement | schema | proved by |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of requirements) {
    const text = r.text.replace(/\|/g, '\\|');
    const proof = proofs.get(r.id)!;
    lines.push(`| [${r.id}](../${r.file.replace(/^spec\//, '')}) | ${r.keyword} | ${r.class} | ${text} | ${r.schema ?? ''} | ${proof.length ? proof.join(', ') : '—'} |`);
  }
  return new Map([['spec/generated/requirements.md', `${lines.join('\n')}\n`]]);
}
