// The harness's transmitter identity, for the signal-receiver class (the harness plays the
// transmitter): an issuer URL served by a server of the harness's own (local-server.ts), with
// SSF 1.0 §7.1 transmitter metadata at /.well-known/ssf-configuration whose jwks_uri names the
// JWKS of its signing keys. A vendor configures its receiver to trust the printed issuer;
// the embedded reference PE is started trusting it.
import { randomBytes } from 'node:crypto';
import type { Exchange } from '../engine/http-client.js';
import { LocalServer } from '../engine/local-server.js';
import { ServiceKey } from '../engine/services.js';
import { seededJti } from './set-builder.js';
import { publishedJwks, transmitterKeys, type TransmitterKeys } from './signing-keys.js';

export const PUSH_DELIVERY = 'urn:ietf:rfc:8935';
export const POLL_DELIVERY = 'urn:ietf:rfc:8936';

export interface HarnessTransmitterOptions {
  /** Where the server listens (default 127.0.0.1, a free port): a vendor gives fixed ones to configure its receiver once. */
  host?: string;
  port?: number;
  /** The issuer the receiver is told, when peers reach the harness by another URL (default the listening URL). */
  publicUrl?: string;
  /** Keep the signing keys in this file, so that they outlive the run. */
  keyFile?: string;
  /** Sees each exchange the server serves (transcripts). */
  record?: (x: Exchange) => void;
}

/** The name its exchanges carry in transcripts. */
export const TRANSMITTER_NAME = 'harness/transmitter';

export class HarnessTransmitter {
  /** Fetches of the metadata and the JWKS so far: a check can tell whether the receiver looked the keys up. */
  fetches = { metadata: 0, jwks: 0, attacker: 0 };
  /** New each run, so that no two runs send the same jti (set-builder.ts seededJti). */
  private nonce = randomBytes(9).toString('base64url');

  /** Starts a new run on this transmitter: its jtis differ from every earlier run's. */
  newRun(): this {
    this.nonce = randomBytes(9).toString('base64url');
    return this;
  }

  private constructor(private readonly server: LocalServer, readonly keys: TransmitterKeys) {}

  /** A jti unique to this run, the seed and the label. */
  jti(seed: number, label: string): string { return seededJti(this.nonce, seed, label); }

  /**
   * A JWKS holding only the unlisted key, at a URL a hostile SET names in jku or x5u: a
   * receiver that fetches it has followed a key URL from the token itself.
   */
  get attackerJwksUri(): string { return `${this.server.url}/attacker/jwks.json`; }

  /** The issuer (`iss` of its SETs and of its metadata): the server's base URL. */
  get issuer(): string { return this.server.url; }
  get jwksUri(): string { return `${this.server.url}/jwks.json`; }
  get metadataUrl(): string { return `${this.server.url}/.well-known/ssf-configuration`; }

  static async start(opts: HarnessTransmitterOptions = {}): Promise<HarnessTransmitter> {
    const keys = await transmitterKeys(opts.keyFile);
    const server = await LocalServer.start({
      name: TRANSMITTER_NAME, ...(opts.host ? { host: opts.host } : {}), ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}), maxBodyBytes: 16 * 1024, ...(opts.record ? { record: opts.record } : {}),
    });
    const t = new HarnessTransmitter(server, keys);
    server.route({ method: 'GET', path: '/.well-known/ssf-configuration', handle: () => { t.fetches.metadata++; return { status: 200, body: t.metadata() }; } });
    server.route({ method: 'GET', path: '/jwks.json', handle: () => { t.fetches.jwks++; return { status: 200, headers: { 'content-type': 'application/jwk-set+json' }, body: JSON.stringify(publishedJwks(keys)) }; } });
    server.route({ method: 'GET', path: '/attacker/jwks.json', handle: () => { t.fetches.attacker++; return { status: 200, headers: { 'content-type': 'application/jwk-set+json' }, body: JSON.stringify({ keys: [keys.unlisted.publicJwk] }) }; } });
    return t;
  }

  /** SSF 1.0 §7.1: what a receiver needs to verify this transmitter's SETs. It offers no stream management: it pushes. */
  metadata(): Record<string, unknown> {
    return { spec_version: '1_0', issuer: this.issuer, jwks_uri: this.jwksUri, delivery_methods_supported: [PUSH_DELIVERY] };
  }

  close(): Promise<void> { return this.server.close(); }
}

/** Checks of class signal-receiver find the run's transmitter under this key. */
export const HARNESS_TRANSMITTER = new ServiceKey<HarnessTransmitter>(TRANSMITTER_NAME);

/** The line `zti test` prints, for a vendor to configure in its receiver. */
export const issuerLine = (t: HarnessTransmitter) => `harness transmitter issuer: ${t.issuer}\n`;
