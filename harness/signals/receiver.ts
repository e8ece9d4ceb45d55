// The harness as a signal receiver, for the signal-transmitter class: a server of its own
// (local-server.ts) on which each check mounts a push endpoint of its own (RFC 8935 §2), so
// that the SETs the target pushes land in that check's log and transcript. The endpoint
// answers 202 and keeps what it got; a check waits for the next delivery with a bound.
import { randomBytes } from 'node:crypto';
import type { Exchange } from '../engine/http-client.js';
import { LocalServer, type ServedRequest } from '../engine/local-server.js';
import { ServiceKey } from '../engine/services.js';

export interface HarnessReceiverOptions {
  /** Where the server listens (default 127.0.0.1, a free port); the target must reach it. */
  host?: string;
  port?: number;
  /** The base URL the target is told, when it reaches the harness by another address. */
  publicUrl?: string;
  /** Sees exchanges that are for no mounted endpoint (a push to a closed or unknown one). */
  record?: (x: Exchange) => void;
}

export const RECEIVER_NAME = 'harness/receiver';

export interface Delivery { headers: Record<string, string>; body: Buffer; at: number }

/** One check's push endpoint. */
export class PushInbox {
  readonly received: Delivery[] = [];
  private waiters: Array<() => void> = [];
  /** The Authorization value the target was told to send (SSF 1.0 §6.1.1). */
  readonly authorization = `Bearer zti-${randomBytes(18).toString('base64url')}`;

  constructor(readonly url: string, private readonly unmount: () => void) {}

  take(req: ServedRequest): void {
    this.received.push({ headers: req.headers, body: req.body, at: Date.now() });
    for (const w of this.waiters.splice(0)) w();
  }

  /** The `n`-th delivery (0-based), waiting at most `timeoutMs` for it; undefined when it did not come. */
  async nth(n: number, timeoutMs: number): Promise<Delivery | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length <= n) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, left); this.waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
    return this.received[n];
  }

  close(): void { this.unmount(); }
}

export class HarnessReceiver {
  private count = 0;
  private constructor(private readonly server: LocalServer) {}

  get url(): string { return this.server.url; }

  static async start(opts: HarnessReceiverOptions = {}): Promise<HarnessReceiver> {
    const server = await LocalServer.start({
      name: RECEIVER_NAME, ...(opts.host ? { host: opts.host } : {}), ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}), maxBodyBytes: 70_000, ...(opts.record ? { record: opts.record } : {}),
    });
    return new HarnessReceiver(server);
  }

  /** A push endpoint for one check; its exchanges go to `record` (the check's log). */
  inbox(label: string, record: (x: Exchange) => void): PushInbox {
    const segment = `${label.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 60)}-${++this.count}`;
    let inbox: PushInbox | undefined;
    const mount = this.server.mount(segment, [{
      method: 'POST', path: '/events',
      handle: (req) => { inbox!.take(req); return { status: 202 }; },
    }], record);
    inbox = new PushInbox(`${mount.url}/events`, () => mount.close());
    return inbox;
  }

  close(): Promise<void> { return this.server.close(); }
}

/** Checks of class signal-transmitter find the run's receiver under this key (started on first use). */
export const HARNESS_RECEIVER = new ServiceKey<HarnessReceiver>(RECEIVER_NAME);
