// Reading a peer's response body within a byte cap. A hostile target may stream an endless
// body; buffering it whole grew `zti test` past 1.5 GB in 12 s (issue 10). Every body the
// harness reads (the target, its discovery document, an OAuth token endpoint) comes through here.
import type { Readable } from 'node:stream';

/** The default cap of a response body: far above any legitimate answer, far below a memory problem. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The body was larger than the cap; reading stopped there and the connection was dropped. */
export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
  constructor(readonly maxBytes: number) {
    super(`response larger than ${maxBytes} bytes (the cap is --max-body); the harness stopped reading it`);
  }
}

/** The whole body, or ResponseTooLarge as soon as more than `maxBytes` arrived (the stream is destroyed). */
export async function readBounded(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
