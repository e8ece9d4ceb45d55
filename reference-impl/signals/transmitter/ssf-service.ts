// The reference PE's transmitter side, assembled: signing keys from the store, the
// transmitter with its push delivery, the SSF endpoints as REST resources, and the live
// sessions that turn a fall in trust into session-revoked (spec/signals.md §2.5-2.7).
import type Database from 'better-sqlite3';
import type { TrustLevel } from '../../../schemas/decision.js';
import type { RestResource } from '../../lib/rest-routes.js';
import { loadSigningKeys } from '../../lib/signing-keys.js';
import { LiveSessions } from '../live-sessions.js';
import type { EvaluateTrust } from '../live-sessions.js';
import type { SignalView } from '../signal-view.js';
import { pollResources } from './poll-endpoint.js';
import type { DeliveryLog, PushOptions } from './push-delivery.js';
import { SsfStore } from './ssf-store.js';
import { streamResources } from './stream-endpoints.js';
import { subjectResources } from './subject-endpoints.js';
import { Transmitter } from './transmitter.js';

export interface SsfServiceOptions {
  db: Database.Database;
  issuer: () => string;
  /** Whether the PE accepts TLS client certificates (listed in authorization_schemes). */
  mtls: boolean;
  view: SignalView;
  evaluate: EvaluateTrust;
  /** The least trust a live session needs (default low). */
  sessionTrustFloor?: TrustLevel;
  push?: PushOptions;
  longPollMs?: number;
  redeliverMs?: number;
  log?: DeliveryLog & { error(obj: object, msg?: string): void };
}

export interface SsfService {
  transmitter: Transmitter;
  liveSessions: LiveSessions;
  resources: ReadonlyMap<string, RestResource>;
  close(): Promise<void>;
}

export async function startSsfService(o: SsfServiceOptions): Promise<SsfService> {
  const keys = await loadSigningKeys(o.db);
  const transmitter = new Transmitter({
    store: new SsfStore(o.db), keys, issuer: o.issuer, push: o.push, longPollMs: o.longPollMs, redeliverMs: o.redeliverMs, log: o.log,
  });
  const liveSessions = new LiveSessions({
    db: o.db, view: o.view, evaluate: o.evaluate, transmitter, floor: o.sessionTrustFloor ?? 'low',
    onError: (err) => o.log?.error({ err }, 'live sessions: a revocation could not be committed'),
  });
  const resources = new Map<string, RestResource>([...streamResources(transmitter, o.mtls), ...subjectResources(transmitter), ...pollResources(transmitter)]);
  return {
    transmitter, liveSessions, resources,
    close: () => transmitter.close(),
  };
}
