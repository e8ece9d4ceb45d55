// Outbound JSON over HTTP to a transmitter, bounded (SIG-026): undici, at most `maxBytes`
// read, at most `timeoutMs` in all, no redirect followed (undici's request follows none),
// and the expected status and media type or an error saying what came instead.
import { request } from 'undici';

export interface FetchBounds {
  timeoutMs: number;
  maxBytes: number;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  /** JSON-encoded and sent as application/json. */
  body?: unknown;
  authorization?: string;
  /** Accepted statuses (default [200]). */
  statuses?: readonly number[];
  /** Accepted media types of the answer (default application/json). */
  types?: readonly string[];
}

export async function fetchJson(url: string, req: JsonRequest, bounds: FetchBounds): Promise<Record<string, unknown>> {
  const signal = AbortSignal.timeout(bounds.timeoutMs);
  const statuses = req.statuses ?? [200];
  const types = req.types ?? ['application/json'];
  let text: string;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.authorization !== undefined) headers.authorization = req.authorization;
    const res = await request(url, {
      method: req.method, signal, headers, headersTimeout: bounds.timeoutMs, bodyTimeout: bounds.timeoutMs,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
    // A body we stop reading is destroyed; its late abort error is of no interest.
    res.body.on('error', () => undefined);
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!statuses.includes(res.statusCode) || !types.includes(type)) {
      res.body.destroy();
      throw new Error(`${req.method} ${url} answered ${res.statusCode} ${type || '(no content type)'}, not ${statuses.join(' or ')} ${types.join(' or ')}`);
    }
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > bounds.maxBytes) { res.body.destroy(); throw new Error(`${req.method} ${url}: ${declared} bytes, more than ${bounds.maxBytes}`); }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > bounds.maxBytes) { res.body.destroy(); throw new Error(`${req.method} ${url}: more than ${bounds.maxBytes} bytes`); }
      chunks.push(chunk as Buffer);
    }
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (e) {
    if (signal.aborted) throw new Error(`${req.method} ${url} took longer than ${bounds.timeoutMs} ms`);
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${req.method} ${url} answered text that is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${req.method} ${url} answered JSON that is not an object`);
  return value as Record<string, unknown>;
}
