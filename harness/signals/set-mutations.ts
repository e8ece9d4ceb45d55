// fast-check mutations of a good SET: of its header, its claims, its signature and its
// encoding. Each generated mutation is plain data (so a counterexample prints and replays)
// and, applied, names what it breaks and the RFC 8935 err a receiver must answer, following
// the order of spec/signals.md §2.2's table (SIG-021: the first failing step decides).
import fc from 'fast-check';
import { base64url } from 'jose';
import { SET_TYP_PATTERN, type PushErrorCode } from '../../schemas/signals.js';
import { SSF_VERIFICATION, signSet, splitCompact, type Json } from './set-builder.js';
import type { TransmitterKeys } from './signing-keys.js';

export type MutationKind = 'header' | 'claims' | 'signature' | 'encoding';

/** One mutation, as data. */
export type MutationSpec =
  | { kind: 'header'; op: 'typ' | 'alg' | 'kid' | 'embed' | 'crit' | 'extra' | 'drop'; name?: string; value?: unknown }
  | { kind: 'claims'; op: 'iss' | 'aud' | 'add' | 'drop' | 'events' | 'iat' | 'type'; name?: string; value?: unknown }
  | { kind: 'signature'; op: 'flip' | 'truncate' | 'foreign-key'; at: number }
  | { kind: 'encoding'; op: 'insert' | 'pad' | 'parts' | 'bytes' | 'not-json-header' | 'not-json-payload'; at: number; text: string };

export interface Mutated { token: string | Buffer; breaks: string; err: PushErrorCode; requirement: string }

/** What a mutation starts from: a good SET's claims, signed by `keys.byAlg.ES256`. */
export interface MutationBase { claims: Json; keys: TransmitterKeys; issuer: string; audience: string; nowS: number }

const TYP = new RegExp(SET_TYP_PATTERN);
const KNOWN_HEADER = new Set(['alg', 'kid', 'typ', 'crit', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'cty', 'b64', 'enc', 'zip', 'epk', 'apu', 'apv']);
const json = fc.jsonValue({ maxDepth: 2 });
/** SIG-014's window with a margin either side for the clocks of harness and receiver. */
const IAT_MARGIN_S = 600;

/** The mutations of every kind; `kinds` narrows them. */
export function mutationArb(kinds: readonly MutationKind[] = ['header', 'claims', 'signature', 'encoding']): fc.Arbitrary<MutationSpec> {
  const header: fc.Arbitrary<MutationSpec> = fc.oneof(
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('typ' as const), value: fc.oneof(fc.string(), fc.constantFrom('JWT', 'at+jwt', 'secevent', 'jwt+secevent', 'application/jwt'), json) }),
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('alg' as const), value: fc.oneof(fc.constantFrom('none', 'None', 'HS256', 'HS384', 'HS512', 'ES384', 'ES512', 'PS256', 'RS384', 'RS512', 'ES256K', 'es256', ''), fc.string(), json) }),
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('kid' as const), value: fc.oneof(fc.string(), json) }),
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('embed' as const), name: fc.constantFrom('jwk', 'jku', 'x5u', 'x5c'), value: json }),
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('crit' as const), value: fc.array(fc.string(), { minLength: 0, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('extra' as const), name: fc.string({ minLength: 1, maxLength: 20 }).filter((n) => !KNOWN_HEADER.has(n)), value: json }),
    fc.record({ kind: fc.constant('header' as const), op: fc.constant('drop' as const), name: fc.constantFrom('typ', 'kid', 'alg') }),
  );
  const claims: fc.Arbitrary<MutationSpec> = fc.oneof(
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('iss' as const), value: fc.oneof(fc.webUrl(), fc.string(), json) }),
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('aud' as const), value: fc.oneof(fc.webUrl(), fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 })) }),
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('add' as const), name: fc.constantFrom('sub', 'exp'), value: json }),
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('drop' as const), name: fc.constantFrom('iss', 'aud', 'iat', 'jti', 'sub_id', 'events') }),
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('events' as const), value: fc.nat({ max: 4 }).filter((n) => n !== 1) }),
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('iat' as const), value: fc.oneof(fc.integer({ min: 300 + IAT_MARGIN_S, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: -(86_400 + IAT_MARGIN_S) })) }),
    fc.record({ kind: fc.constant('claims' as const), op: fc.constant('type' as const), name: fc.constantFrom('iat', 'jti', 'events', 'sub_id'), value: fc.oneof(fc.constant(''), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true })) }),
  );
  const signature: fc.Arbitrary<MutationSpec> = fc.record({ kind: fc.constant('signature' as const), op: fc.constantFrom('flip' as const, 'truncate' as const, 'foreign-key' as const), at: fc.nat({ max: 10_000 }) });
  const encoding: fc.Arbitrary<MutationSpec> = fc.oneof(
    fc.record({ kind: fc.constant('encoding' as const), op: fc.constant('insert' as const), at: fc.nat({ max: 10_000 }), text: fc.constantFrom('+', '/', '=', ' ', '\t', '%', '!', '\u00e9', '\n') }),
    fc.record({ kind: fc.constant('encoding' as const), op: fc.constant('pad' as const), at: fc.nat({ max: 2 }), text: fc.constantFrom('=', '==') }),
    fc.record({ kind: fc.constant('encoding' as const), op: fc.constant('parts' as const), at: fc.constantFrom(1, 2, 4, 5), text: fc.constant('') }),
    fc.record({ kind: fc.constant('encoding' as const), op: fc.constant('bytes' as const), at: fc.nat({ max: 10_000 }), text: fc.constantFrom('\xff', '\xc3\x28', '\xed\xa0\x80', '\x80') }),
    fc.record({ kind: fc.constant('encoding' as const), op: fc.constant('not-json-header' as const), at: fc.constant(0), text: fc.string({ minLength: 1 }) }),
    fc.record({ kind: fc.constant('encoding' as const), op: fc.constant('not-json-payload' as const), at: fc.constant(0), text: fc.string({ minLength: 1 }) }),
  );
  const all = { header, claims, signature, encoding };
  return fc.oneof(...kinds.map((k) => all[k]));
}

const b64json = (v: unknown) => base64url.encode(JSON.stringify(v));
const setOwn = (o: Json, k: string, v: unknown) => { Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true }); };

/** Applies a mutation to a good SET made from `base`; the result names what it breaks and the err a receiver owes. */
export async function applyMutation(m: MutationSpec, base: MutationBase): Promise<Mutated> {
  const key = base.keys.byAlg.ES256;
  const good = await signSet(base.claims, key);
  const { header, payload, signature } = splitCompact(good);
  const h: Json = { alg: key.alg, kid: key.kid, typ: 'secevent+jwt' };
  const reheader = (nh: Json) => `${b64json(nh)}.${payload}.${signature}`;
  const resign = async (c: Json) => signSet(c, key);
  switch (m.kind) {
    case 'header': {
      const nh: Json = { ...h };
      switch (m.op) {
        case 'typ':
          if (typeof m.value === 'string' && TYP.test(m.value)) return { token: reheader({ ...h, typ: `x-${m.value}` }), breaks: 'typ is not secevent+jwt', err: 'invalid_request', requirement: 'SIG-002' };
          setOwn(nh, 'typ', m.value);
          return { token: reheader(nh), breaks: `typ ${JSON.stringify(m.value)} is not secevent+jwt`, err: 'invalid_request', requirement: 'SIG-002' };
        case 'alg':
          setOwn(nh, 'alg', m.value === key.alg ? 'none' : m.value);
          return { token: reheader(nh), breaks: `alg ${JSON.stringify(nh.alg)} is off the allow-list or does not fit the key`, err: 'invalid_key', requirement: /^(none|HS)/i.test(String(nh.alg)) ? 'SIG-004' : 'SIG-003' };
        case 'kid':
          setOwn(nh, 'kid', isListedKid(base.keys, m.value) ? `${String(m.value)}-unknown` : m.value);
          return { token: reheader(nh), breaks: `kid ${JSON.stringify(nh.kid)} names no key of the transmitter`, err: 'invalid_key', requirement: 'SIG-006' };
        case 'embed':
          setOwn(nh, m.name!, m.value);
          return { token: reheader(nh), breaks: `the header carries ${m.name}`, err: 'invalid_key', requirement: 'SIG-005' };
        case 'crit':
          setOwn(nh, 'crit', m.value);
          return { token: reheader(nh), breaks: 'the header has crit', err: 'invalid_request', requirement: 'SIG-007' };
        case 'extra':
          // SIG-022 ignores the member, but the header is signed: the signature no longer verifies.
          setOwn(nh, m.name!, m.value);
          return { token: reheader(nh), breaks: `header member ${JSON.stringify(m.name)} added after signing`, err: 'invalid_key', requirement: 'SIG-006' };
        case 'drop':
          delete nh[m.name!];
          return m.name === 'typ'
            ? { token: reheader(nh), breaks: 'typ is missing', err: 'invalid_request', requirement: 'SIG-002' }
            : { token: reheader(nh), breaks: `${m.name} is missing from the header`, err: 'invalid_key', requirement: m.name === 'alg' ? 'SIG-003' : 'SIG-006' };
      }
      break;
    }
    case 'claims': {
      const c: Json = { ...base.claims };
      switch (m.op) {
        case 'iss':
          c.iss = m.value === base.issuer ? `${base.issuer}/other` : m.value;
          return { token: await resign(c), breaks: `iss ${JSON.stringify(c.iss)} is not the transmitter the receiver trusts`, err: 'invalid_issuer', requirement: 'SIG-012' };
        case 'aud': {
          const other = (u: unknown) => (u === base.audience ? `${base.audience}/other` : u);
          c.aud = Array.isArray(m.value) ? m.value.map(other) : other(m.value);
          return { token: await resign(c), breaks: `aud ${JSON.stringify(c.aud)} does not name the receiver`, err: 'invalid_audience', requirement: 'SIG-013' };
        }
        case 'add':
          c[m.name!] = m.value;
          return { token: await resign(c), breaks: `the claims have ${m.name}`, err: 'invalid_request', requirement: m.name === 'sub' ? 'SIG-017' : 'SIG-018' };
        case 'drop':
          delete c[m.name!];
          return m.name === 'iss'
            ? { token: await resign(c), breaks: 'iss is missing', err: 'invalid_issuer', requirement: 'SIG-012' }
            : { token: await resign(c), breaks: `${m.name} is missing`, err: 'invalid_request', requirement: 'SIG-008' };
        case 'events': {
          const n = Number(m.value);
          c.events = Object.fromEntries(Array.from({ length: n }, (_, i) => [i === 0 ? SSF_VERIFICATION : `${SSF_VERIFICATION}-${i}`, {}]));
          return { token: await resign(c), breaks: `events has ${n} members`, err: 'invalid_request', requirement: 'SIG-016' };
        }
        case 'iat':
          c.iat = base.nowS + Number(m.value);
          return { token: await resign(c), breaks: `iat is ${Number(m.value)} s from now, outside the window`, err: 'invalid_request', requirement: 'SIG-014' };
        case 'type':
          c[m.name!] = m.value;
          return { token: await resign(c), breaks: `${m.name} is ${JSON.stringify(m.value)}, of the wrong type`, err: 'invalid_request', requirement: m.name === 'sub_id' ? 'SIG-009' : 'SIG-008' };
      }
      break;
    }
    case 'signature': {
      const sig = Buffer.from(signature, 'base64url');
      switch (m.op) {
        case 'flip': {
          const i = m.at % (sig.length * 8);
          sig[i >> 3] = sig[i >> 3]! ^ (1 << (i & 7));
          return { token: `${header}.${payload}.${sig.toString('base64url')}`, breaks: `bit ${i} of the signature flipped`, err: 'invalid_key', requirement: 'SIG-006' };
        }
        case 'truncate': {
          const n = 1 + (m.at % (sig.length - 1));
          return { token: `${header}.${payload}.${sig.subarray(0, n).toString('base64url')}`, breaks: `the signature cut to ${n} bytes`, err: 'invalid_key', requirement: 'SIG-006' };
        }
        case 'foreign-key': {
          const forged = splitCompact(await signSet(base.claims, base.keys.unlisted, { kid: key.kid }));
          return { token: `${header}.${payload}.${forged.signature}`, breaks: 'signed by a key that is not the transmitter\'s, under its kid', err: 'invalid_key', requirement: 'SIG-006' };
        }
      }
      break;
    }
    case 'encoding': {
      switch (m.op) {
        case 'insert': {
          // Strictly inside a part, so that no trimming of the ends can undo it.
          const at = 1 + (m.at % (good.length - 2));
          return { token: `${good.slice(0, at)}${m.text}${good.slice(at)}`, breaks: `${JSON.stringify(m.text)} inserted at ${at}, outside the base64url alphabet`, err: 'invalid_request', requirement: 'SIG-001' };
        }
        case 'pad': {
          const parts = [header, payload, signature];
          parts[m.at] = `${parts[m.at]}${m.text}`;
          return { token: parts.join('.'), breaks: `part ${m.at + 1} padded with "${m.text}" (base64url has no padding)`, err: 'invalid_request', requirement: 'SIG-001' };
        }
        case 'parts': {
          const parts = [header, payload, signature, 'AAAA', 'AAAA'].slice(0, m.at);
          return { token: parts.join('.'), breaks: `${m.at} parts instead of 3`, err: 'invalid_request', requirement: 'SIG-001' };
        }
        case 'bytes': {
          const at = 1 + (m.at % (good.length - 2));
          return { token: Buffer.concat([Buffer.from(good.slice(0, at)), Buffer.from(m.text, 'latin1'), Buffer.from(good.slice(at))]), breaks: 'bytes that are not UTF-8 inside the token', err: 'invalid_request', requirement: 'SIG-001' };
        }
        case 'not-json-header':
          return { token: `${base64url.encode(notJson(m.text))}.${payload}.${signature}`, breaks: 'the header is not a JSON object', err: 'invalid_request', requirement: 'SIG-001' };
        case 'not-json-payload':
          return { token: `${header}.${base64url.encode(notJson(m.text))}.${signature}`, breaks: 'the payload is not a JSON object', err: 'invalid_request', requirement: 'SIG-001' };
      }
    }
  }
  throw new Error(`unknown mutation ${JSON.stringify(m)}`);
}

/** Text that does not parse as a JSON object (a JSON scalar or array is still not an object). */
function notJson(text: string): string {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? `[${text}` : text;
  } catch {
    return text;
  }
}

function isListedKid(keys: TransmitterKeys, kid: unknown): boolean {
  return Object.values(keys.byAlg).some((k) => k.kid === kid);
}
