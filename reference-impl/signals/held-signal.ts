// What the receiver keeps of an accepted signal and the trust function reads (spec/trust.md,
// "Inputs"). The receiver (push, poll, bus) writes HeldSignals; trust.ts reads them; the
// transmitter side is told of each one to re-evaluate live sessions. One shape for all three.

/** The keys of the scopes a signal applies to (spec/trust.md): at least one is set. */
export interface TrustScope {
  /** The subject (user) key, e.g. the AuthZEN subject id "alice@example.com". */
  subject?: string;
  device?: string;
  session?: string;
  workload?: string;
}

export interface HeldSignal {
  /** The SET's jti (RFC 8417 §2.2), unique per issuer. */
  jti: string;
  iss: string;
  /** The SET's iat, in seconds since the epoch. */
  iat: number;
  /** When the receiver accepted it (ms since the epoch). */
  receivedAt: number;
  /** The one event type URI of the SET (SSF 1.0 §4.1: one event per SET). */
  eventType: string;
  /** The event's payload (the value of events[eventType]). */
  event: Record<string, unknown>;
  /** The SET's sub_id (RFC 9493 or SSF complex), as received. */
  subId: Record<string, unknown>;
  /** The scopes the sub_id names (spec/trust.md maps sub_id to scopes). */
  scope: TrustScope;
  /** The SET's txn, when given. */
  txn?: string;
  /** Position in the replica bus's stream, when it came over the bus (part 2, replicas). */
  seq?: number;
}

/** Told of every signal once it is committed; the transmitter side re-evaluates live sessions here. */
export type SignalListener = (signal: HeldSignal) => void;
