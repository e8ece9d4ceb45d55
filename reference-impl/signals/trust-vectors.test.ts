// Every trust vector under vectors/signals/trust/ through the reference trust function
// (TRU-080): the signals as the receiver would hold them, in the vector's order and reversed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TrustVectorFile } from '../../schemas/src/vectors/trust-vector.js';
import { validatorFor } from '../../schemas/validators.js';
import type { HeldSignal } from './held-signal.js';
import { evaluateTrust, scopeOf, scopeOfRequest } from './trust.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../vectors/signals/trust');
const valid = validatorFor(TrustVectorFile);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function heldOf(v: TrustVectorFile): HeldSignal[] {
  return v.signals.map((s) => ({
    jti: s.jti, iss: s.iss, iat: s.iat, receivedAt: s.iat * 1000, eventType: s.event_type,
    event: s.event, subId: s.sub_id, scope: scopeOf(s.sub_id, s.event_type, s.event),
  }));
}

describe('the trust vectors (vectors/signals/trust)', () => {
  it('has at least fifteen of them', () => expect(files.length).toBeGreaterThanOrEqual(15));

  it.each(files)('%s: the reference gives the expected trust at every checkpoint, in any arrival order', (file) => {
    const v: unknown = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    expect(valid(v), JSON.stringify(valid.firstError(v))).toBe(true);
    const vector = v as TrustVectorFile;
    const held = heldOf(vector);
    for (const c of vector.checkpoints) {
      const scope = scopeOfRequest(c.request);
      const label = `${vector.id} at ${c.at}${c.name ? ` (${c.name})` : ''}`;
      expect(evaluateTrust(held, scope, c.at), label).toEqual(c.expect);
      expect(evaluateTrust([...held].reverse(), scope, c.at), `${label}, reversed`).toEqual(c.expect);
    }
  });
});
