// Identifiers a check makes up (request ids, unknown paths) come from the run's seed, so
// the same seed always sends the same requests (transcripts compare, replays repeat).
import { createHash } from 'node:crypto';
import type { CheckContext } from '../../engine/check.js';

/** A UUID-shaped value determined by the seed, the check and a label. */
export function seededUuid(ctx: Pick<CheckContext, 'seed' | 'check'>, label: string): string {
  const h = createHash('sha256').update(`${ctx.seed}\u0000${ctx.check.id}\u0000${label}`).digest('hex');
  // Version 4 layout, so targets that parse the header as a UUID accept it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
