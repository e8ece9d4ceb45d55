// The harness's own servers of a `zti test` run (harness/engine/local-server.ts): its
// transmitter identity, whose issuer is printed for a vendor to configure in its receiver
// ("harness transmitter issuer: URL"), and its receiver, on which the signal-transmitter
// checks get push endpoints. Started before the target (the embedded PE is told the issuer),
// stopped after the run; their run-wide exchanges go to the transcript under their names.
import type { Exchange } from '../engine/http-client.js';
import { Services } from '../engine/services.js';
import { HARNESS_TRANSMITTER, HarnessTransmitter, TRANSMITTER_NAME, issuerLine } from '../signals/transmitter.js';
import { HARNESS_RECEIVER, HarnessReceiver, RECEIVER_NAME } from '../signals/receiver.js';
import { SIGNALS_TARGET } from '../checks/signals/lib/receiver-context.js';
import { UsageError } from './usage-error.js';

export interface SignalServerFlags {
  /** HOST:PORT the harness transmitter listens on (default 127.0.0.1, a free port). */
  transmitterListen?: string;
  /** The issuer the receiver is told, when it reaches the harness by another URL. */
  transmitterUrl?: string;
  /** A file keeping the transmitter's signing keys across runs. */
  transmitterKeys?: string;
  /** HOST:PORT the harness receiver listens on. */
  receiverListen?: string;
  /** The base URL the target's transmitter is told for the harness's push endpoints. */
  receiverUrl?: string;
  /** The receiver's push endpoint, when its discovery document does not name one. */
  pushEndpoint?: string;
  /** The receiver's own identifier (the aud it expects), when it is not the target's base URL. */
  audience?: string;
}

function listen(flag: string, v: string | undefined): { host?: string; port?: number } {
  if (v === undefined) return {};
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`${flag} must be HOST:PORT such as 127.0.0.1:8455, got "${v}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function url(flag: string, v: string | undefined): string | undefined {
  if (v !== undefined && !/^https?:\/\/[^/]+/.test(v)) throw new UsageError(`${flag} must be an http(s) URL, got "${v}"`);
  return v;
}

export interface SignalServers { services: Services; transmitter: HarnessTransmitter; close(): Promise<void> }

/** Starts the transmitter now and the receiver on first use; `record` sees their run-wide exchanges. */
export async function startSignalServers(flags: SignalServerFlags, record: ((server: string, x: Exchange) => void) | undefined, out: (s: string) => void): Promise<SignalServers> {
  const publicTx = url('--transmitter-url', flags.transmitterUrl);
  const publicRx = url('--receiver-url', flags.receiverUrl);
  const rxListen = listen('--receiver-listen', flags.receiverListen);
  const transmitter = await HarnessTransmitter.start({
    ...listen('--transmitter-listen', flags.transmitterListen), ...(publicTx ? { publicUrl: publicTx } : {}),
    ...(flags.transmitterKeys ? { keyFile: flags.transmitterKeys } : {}),
    ...(record ? { record: (x: Exchange) => record(TRANSMITTER_NAME, x) } : {}),
  });
  out(issuerLine(transmitter));
  const services = new Services()
    .provide(HARNESS_TRANSMITTER, transmitter)
    .provide(SIGNALS_TARGET, { pushEndpoint: url('--push-endpoint', flags.pushEndpoint), audience: url('--audience', flags.audience) })
    .lazy(HARNESS_RECEIVER, () => HarnessReceiver.start({ ...rxListen, ...(publicRx ? { publicUrl: publicRx } : {}), ...(record ? { record: (x: Exchange) => record(RECEIVER_NAME, x) } : {}) }), (r) => r.close());
  return { services, transmitter, close: async () => { await services.close(); await transmitter.close(); } };
}
