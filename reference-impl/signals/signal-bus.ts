// The replica bus (spec/signals.md §2.8, ARCHITECTURE.md "State, and more than one machine"):
// every replica publishes the SETs it verified to one NATS JetStream stream and applies that
// stream, in order, to its own SQLite store. The stream is the one ordered, durable log; a
// replica's position in it (its cursor) is committed with each signal it applies, so a message
// delivered twice is applied once, and a restarted replica goes on from where it was.
// Its durable consumer is re-created from that cursor at start (an in-memory replica starts
// from the beginning of the stream, a replica with --data from its last commit).
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ConfigError } from '../errors.js';

/** SIG-182: the bus did not acknowledge a publish in time, or is unreachable; the caller answers 503. */
export class BusUnavailable extends Error {
  override readonly name = 'BusUnavailable';
}

export interface BusMessage {
  /** The message's position in the stream (the consistency token's unit, SIG-183). */
  seq: number;
  /** The compact SET as the accepting replica received it. */
  token: string;
  /** When JetStream stored it (ms since the epoch); the SET is verified again as of this time (SIG-181). */
  storedAtMs: number;
}

export interface SignalBusOptions {
  /** nats://host:port */
  url: string;
  /** This replica's name: its durable consumer is `zti-<replica>`. */
  replica: string;
  /** Default ZTI_SIGNALS. */
  stream?: string;
  /** How long a publish may wait for JetStream's acknowledgement (default 2000 ms). */
  publishTimeoutMs?: number;
}

const SUBJECT_PREFIX = 'zti.signals';
const DUPLICATE_WINDOW_NS = 120 * 1_000_000_000;
const REPLICA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export class SignalBus {
  private messages: ConsumerMessages | undefined;
  private stopped = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly consumer: string,
    private readonly publishTimeoutMs: number,
  ) {}

  /** Connects and makes sure the stream exists; ConfigError when the bus cannot be reached at start. */
  static async connect(opts: SignalBusOptions): Promise<SignalBus> {
    if (!REPLICA_NAME.test(opts.replica)) throw new ConfigError(`replica name ${JSON.stringify(opts.replica)} must be 1 to 64 letters, digits, "-" or "_"`);
    const stream = opts.stream ?? 'ZTI_SIGNALS';
    let nc: NatsConnection;
    try {
      // Reconnect for ever: a bus that comes back is used again; meanwhile publishes fail (503).
      nc = await connect({ servers: opts.url, name: `zti-pe-${opts.replica}`, timeout: 3000, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    } catch (e) {
      throw new ConfigError(`--bus ${opts.url}: cannot connect to NATS (${message(e)}); start nats-server with JetStream (nats-server -js) or give another URL`);
    }
    try {
      const jsm = await jetstreamManager(nc, { timeout: 3000 });
      try {
        await jsm.streams.info(stream);
      } catch {
        await jsm.streams.add({ name: stream, subjects: [`${SUBJECT_PREFIX}.>`], storage: StorageType.File, duplicate_window: DUPLICATE_WINDOW_NS });
      }
      return new SignalBus(nc, jsm, jetstream(nc, { timeout: opts.publishTimeoutMs ?? 2000 }), stream, `zti-${opts.replica}`, opts.publishTimeoutMs ?? 2000);
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw new ConfigError(`--bus ${opts.url}: JetStream is not usable (${message(e)}); start nats-server with -js`);
    }
  }

  /**
   * SIG-180: resolves with the stream position once JetStream has acknowledged the SET (it is
   * then durable on the bus); `duplicate` when the bus already holds a message with this id
   * (SIG-184: the same (iss, jti) published again within the duplicate window).
   */
  async publish(token: string, msgId: string): Promise<{ seq: number; duplicate: boolean }> {
    if (this.stopped || this.nc.isClosed()) throw new BusUnavailable('the replica bus is closed');
    try {
      const ack = await this.js.publish(`${SUBJECT_PREFIX}.set`, token, { msgID: msgId, timeout: this.publishTimeoutMs });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (e) {
      throw new BusUnavailable(`the replica bus did not acknowledge the signal (${message(e)})`);
    }
  }

  /**
   * Applies the stream in order from `afterSeq + 1`, one message at a time: `apply` commits the
   * signal together with its seq (the cursor) before the message is acknowledged to JetStream.
   */
  async start(afterSeq: number, apply: (m: BusMessage) => Promise<void>, onError: (e: unknown) => void): Promise<void> {
    await this.jsm.consumers.delete(this.stream, this.consumer).catch(() => undefined);
    await this.jsm.consumers.add(this.stream, {
      durable_name: this.consumer, ack_policy: AckPolicy.Explicit, max_ack_pending: 1,
      ...(afterSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
    });
    const consumer = await this.js.consumers.get(this.stream, this.consumer);
    const messages = await consumer.consume({ max_messages: 64 });
    this.messages = messages;
    void (async () => {
      for await (const m of messages) {
        try {
          await apply({ seq: m.seq, token: m.string(), storedAtMs: Math.floor(Number(m.info.timestampNanos) / 1e6) });
          m.ack();
        } catch (e) {
          // Not acknowledged: JetStream delivers it again, and the cursor makes that safe.
          onError(e);
          m.nak(500);
        }
      }
    })();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.nc.close().catch(() => undefined);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
