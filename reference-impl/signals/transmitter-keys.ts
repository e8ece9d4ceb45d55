// The signing keys of the transmitters a receiver trusts (spec/signals.md SIG-025..027):
// issuer -> /.well-known/ssf-configuration -> jwks_uri, fetched with undici under size,
// time and redirect bounds, cached, refetched when a SET names a kid we do not hold (at
// most once per 30 s per transmitter) and otherwise hourly. Keys are imported once per
// fetch by jose's local JWKS (which also matches kty, use, key_ops and alg to the header).
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose';
import { request } from 'undici';

/** What a SET's key lookup needs; jose's key function shape. */
export type KeyFunction = ReturnType<typeof createLocalJWKSet>;

export const KEY_FETCH_LIMITS = {
  timeoutMs: 5_000,
  maxBytes: 262_144,
  maxKeys: 100,
  /** SIG-027: refetches caused by unknown kids, per transmitter. */
  minRefreshIntervalMs: 30_000,
  /** SIG-027: the longest a fetched JWKS is used without a refetch. */
  maxAgeMs: 3_600_000,
} as const;

export type KeyFetchLimits = Record<keyof typeof KEY_FETCH_LIMITS, number>;

/** A key could not be had; the SET is refused with invalid_key (SIG-006, SIG-026, SIG-027). */
export class KeyUnavailable extends Error {
  override readonly name = 'KeyUnavailable';
}

interface Entry {
  keys: KeyFunction | undefined;
  kids: Set<string>;
  fetchedAt: number;
  lastAttempt: number;
  pending: Promise<void> | undefined;
  lastError: string | undefined;
}

export interface TransmitterKeysOptions {
  limits?: Partial<KeyFetchLimits>;
  now?: () => number;
}

export class TransmitterKeys {
  private readonly entries = new Map<string, Entry>();
  private readonly limits: KeyFetchLimits;
  private readonly now: () => number;
  /** Fetches made, for operators and tests (a rate limit that cannot be observed cannot be tested). */
  fetches = 0;

  /** Throws when `issuer` could not be a transmitter's issuer (SIG-025). */
  static check(issuer: string): void {
    checkFetchable('transmitter issuer', issuer);
    if (new URL(issuer).search !== '') throw new Error(`transmitter issuer ${JSON.stringify(issuer.slice(0, 200))} has a query; an issuer has none (SSF 1.0 §7.1)`);
  }

  constructor(issuers: readonly string[], opts: TransmitterKeysOptions = {}) {
    this.limits = { ...KEY_FETCH_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    for (const iss of issuers) {
      TransmitterKeys.check(iss);
      this.entries.set(iss, { keys: undefined, kids: new Set(), fetchedAt: 0, lastAttempt: -Infinity, pending: undefined, lastError: undefined });
    }
  }

  /** SIG-012: the configured issuers, compared character for character. */
  trusts(iss: string): boolean {
    return this.entries.has(iss);
  }

  get issuers(): string[] {
    return [...this.entries.keys()];
  }

  /** The verification key for a SET of `iss` with this header; throws KeyUnavailable. */
  async keyFor(iss: string, header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<Awaited<ReturnType<KeyFunction>>> {
    const e = this.entries.get(iss);
    if (!e) throw new KeyUnavailable(`${iss} is not a configured transmitter`);
    const kid = header.kid ?? '';
    const now = this.now();
    const stale = e.keys === undefined || now - e.fetchedAt >= this.limits.maxAgeMs;
    const unknownKid = !e.kids.has(kid);
    if ((stale || unknownKid) && (e.pending || now - e.lastAttempt >= this.limits.minRefreshIntervalMs)) await this.refresh(iss, e);
    if (!e.keys) throw new KeyUnavailable(`the keys of ${iss} could not be fetched (${e.lastError ?? 'not yet fetched'})`);
    if (!e.kids.has(kid)) {
      throw new KeyUnavailable(`kid ${JSON.stringify(kid.slice(0, 100))} is not in the JWKS of ${iss}${now - e.lastAttempt < this.limits.minRefreshIntervalMs ? ' (refetched within the last 30 s)' : ''}`);
    }
    try {
      return await e.keys(header, token);
    } catch (err) {
      // jose: no key of that kid fits alg (kty, crv, use, key_ops, alg), or several do.
      throw new KeyUnavailable(`no key of ${iss} with kid ${JSON.stringify(kid.slice(0, 100))} may verify ${String(header.alg)} (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  private refresh(iss: string, e: Entry): Promise<void> {
    // One fetch at a time per transmitter; concurrent SETs wait for the same one.
    e.pending ??= (async () => {
      e.lastAttempt = this.now();
      try {
        const jwks = await this.fetchJwks(iss);
        e.keys = createLocalJWKSet(jwks);
        e.kids = new Set(jwks.keys.map((k) => (typeof k.kid === 'string' ? k.kid : '')).filter(Boolean));
        e.fetchedAt = this.now();
        e.lastError = undefined;
      } catch (err) {
        // SIG-027: a failed refetch keeps the keys already held.
        e.lastError = err instanceof Error ? err.message : String(err);
      } finally {
        e.pending = undefined;
      }
    })();
    return e.pending;
  }

  private async fetchJwks(iss: string): Promise<JSONWebKeySet> {
    const config = await this.getJson(ssfConfigurationUrl(iss), ['application/json']);
    // SSF 1.0 §7.2.4: the document's issuer is the one we asked, exactly.
    if (config.issuer !== iss) throw new Error(`its ssf-configuration names issuer ${JSON.stringify(String(config.issuer).slice(0, 200))}, not ${iss}`);
    if (typeof config.jwks_uri !== 'string') throw new Error('its ssf-configuration has no jwks_uri');
    checkFetchable('jwks_uri', config.jwks_uri);
    const jwks = await this.getJson(config.jwks_uri, ['application/json', 'application/jwk-set+json']);
    const keys = jwks.keys;
    if (!Array.isArray(keys) || keys.some((k) => k === null || typeof k !== 'object' || Array.isArray(k))) throw new Error(`${config.jwks_uri} is not a JWK Set (RFC 7517 §5)`);
    if (keys.length > this.limits.maxKeys) throw new Error(`${config.jwks_uri} has ${keys.length} keys, more than ${this.limits.maxKeys}`);
    return { keys } as JSONWebKeySet;
  }

  /** SIG-026: GET a JSON object, at most maxBytes in timeoutMs, following no redirect. */
  private async getJson(url: string, types: readonly string[]): Promise<Record<string, unknown>> {
    this.fetches++;
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    let text: string;
    try {
      const res = await request(url, { method: 'GET', signal, headers: { accept: 'application/json' }, headersTimeout: this.limits.timeoutMs, bodyTimeout: this.limits.timeoutMs });
      // A body we stop reading is destroyed; its late abort error is of no interest.
      res.body.on('error', () => undefined);
      const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (res.statusCode !== 200 || !types.includes(type)) {
        res.body.destroy();
        throw new Error(`GET ${url} answered ${res.statusCode} ${type || '(no content type)'}, not 200 ${types.join(' or ')}`);
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > this.limits.maxBytes) { res.body.destroy(); throw new Error(`GET ${url}: ${declared} bytes, more than ${this.limits.maxBytes}`); }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.limits.maxBytes) { res.body.destroy(); throw new Error(`GET ${url}: more than ${this.limits.maxBytes} bytes`); }
        chunks.push(chunk as Buffer);
      }
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    } catch (e) {
      if (signal.aborted) throw new Error(`GET ${url} took longer than ${this.limits.timeoutMs} ms`);
      throw e;
    }
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`GET ${url} is not a JSON object`);
    return value as Record<string, unknown>;
  }
}

/** SSF 1.0 §7.2: "/.well-known/ssf-configuration" between the host and the issuer's path (its trailing "/" removed). */
export function ssfConfigurationUrl(issuer: string): string {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.origin}/.well-known/ssf-configuration${path}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** SIG-025: https, or http on a loopback host; no credentials, query or fragment. */
export function checkFetchable(what: string, url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${what} ${JSON.stringify(url.slice(0, 200))} is not a URL`);
  }
  const ok = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
  if (!ok || u.username !== '' || u.password !== '' || u.hash !== '') {
    throw new Error(`${what} ${JSON.stringify(url.slice(0, 200))} must be an https URL (http only on 127.0.0.1, ::1 or localhost) without credentials or fragment`);
  }
}
