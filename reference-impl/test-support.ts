// Test-only: a reference PE on 127.0.0.1 and a small client that talks to it over real
// HTTP (undici), as a PEP or the harness would.
import { request } from 'undici';
import { startReferencePe, type PeOptions, type RunningPe } from './server.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Leave out the Authorization header. */
  anonymous?: boolean;
  /** Sent as is instead of JSON-encoding the body. */
  raw?: string | Buffer;
}

export interface TestPe {
  pe: RunningPe;
  post(path: string, body?: unknown, opts?: SendOptions): Promise<Reply>;
  send(method: string, path: string, opts?: SendOptions & { body?: unknown }): Promise<Reply>;
  close(): Promise<void>;
}

export async function startTestPe(opts: PeOptions = {}): Promise<TestPe> {
  const pe = await startReferencePe({ logger: false, ...opts });
  const send = async (method: string, path: string, o: SendOptions & { body?: unknown } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    let body: string | Buffer | undefined = o.raw;
    if (body === undefined && o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (!o.anonymous && pe.tokens[0] !== undefined) headers['authorization'] = `Bearer ${pe.tokens[0]}`;
    Object.assign(headers, o.headers);
    const res = await request(`${pe.url}${path}`, { method: method as 'POST', headers, body });
    const text = await res.body.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.statusCode, headers: res.headers, text, json };
  };
  return {
    pe,
    send,
    post: (path, body, o = {}) => send('POST', path, { ...o, body }),
    close: () => pe.close(),
  };
}

/** A member of a parsed JSON body, by path, for assertions. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export const ALICE = { type: 'user', id: 'alice@example.com' };
export const BOB = { type: 'user', id: 'bob@example.com' };
export const CAROL = { type: 'user', id: 'carol@example.com' };
export const RECORD_Y = { type: 'db_record', id: 'Y' };
export const HANDBOOK = { type: 'document', id: 'handbook' };
export const PAYROLL = { type: 'document', id: 'payroll' };
/** The context under which finance may write a record (managed, encrypted, acr phr). */
export const STRONG_CONTEXT = {
  device: { id: 'laptop-42', managed: true, posture: { disk_encrypted: true } },
  session: { id: 's-9f2', auth_time: 1795400000, acr: 'phr', amr: ['pwd', 'hwk'] },
};
