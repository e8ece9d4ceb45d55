// `zti serve --plain`: the reference PE answering as a plain AuthZEN 1.0 PDP, without the
// zero-trust members of the pe-zt profile. Decisions lose `context.zti` (a context left empty
// is dropped), and the discovery document loses `zti_limits` and the pe-zt capability URN,
// so a harness does not test the pe-zt class against it. AuthZEN allows the members, but the
// official interop runners compare batch items as exact JSON (`[{"decision": true}, ...]`),
// so a PE that carries them fails cases whose decisions are right. Batch item errors keep
// `context.error`: AuthZEN 1.0 Section 7 lets an item carry its reason in `context`.
import { classUrn } from '../../schemas/decision.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A decision object without context.zti. */
function plainDecision(d: unknown): unknown {
  if (!isObject(d) || !isObject(d.context) || !('zti' in d.context)) return d;
  const { zti: _zti, ...context } = d.context;
  const { context: _old, ...rest } = d;
  return Object.keys(context).length === 0 ? rest : { ...rest, context };
}

/** The answer of the evaluation or evaluations endpoint, in plain AuthZEN. */
export function plainAnswer(json: string): string {
  const answer: unknown = JSON.parse(json);
  if (!isObject(answer)) return json;
  const top = plainDecision(answer) as Json;
  return JSON.stringify(Array.isArray(top.evaluations) ? { ...top, evaluations: top.evaluations.map(plainDecision) } : top);
}

/** The AuthZEN classes: under --plain the PE claims these alone (no pe-zt, no signal classes). */
const AUTHZEN_PREFIX = classUrn('authzen-core').replace(/core$/, '');

/** The discovery document without the profile's members: the PE claims the AuthZEN classes only. */
export function plainMetadata(json: string): string {
  const doc: unknown = JSON.parse(json);
  if (!isObject(doc)) return json;
  const { zti_limits: _limits, zti_signals_push_endpoint: _push, ...rest } = doc;
  const capabilities = Array.isArray(rest.capabilities) ? rest.capabilities.filter((c) => typeof c === 'string' && c.startsWith(AUTHZEN_PREFIX)) : undefined;
  return JSON.stringify(capabilities === undefined ? rest : { ...rest, capabilities });
}
