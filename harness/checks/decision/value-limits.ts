// DEC-110 (spec/decision.md 1.8): the arrays and objects a request hands the policies are
// bounded by the max_array_items and max_record_members a pe-zt PE publishes; over a limit,
// in a single evaluation or in a batch's defaults, the answer is 413 pointing at the value.
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure } from '../../engine/failure.js';
import { sampleRequest } from '../../arbitraries/zt.js';
import { expectDecision, expectRejected, expectTypedError } from '../lib/expect.js';

/** DEC-110: the smallest limits a PE may publish. */
const FLOOR = { max_array_items: 100, max_record_members: 64, max_values: 1000 } as const;
/** A member name no policy is likely to read, so that only the sizes matter. */
const NAME = 'zti_limit_probe';

function published(ctx: CheckContext, name: keyof typeof FLOOR): number {
  const v = ctx.metadata?.zti_limits?.[name];
  if (typeof v !== 'number') {
    throw new CheckFailure(`a pe-zt PE must publish ${name} in zti_limits of its discovery document (DEC-110); it publishes none, so the limit cannot be checked`);
  }
  if (v < FLOOR[name]) throw new CheckFailure(`${name} must be at least ${FLOOR[name]} (DEC-110), the discovery document publishes ${v}`);
  return v;
}

const array = (n: number) => Array.from({ length: n }, (_, i) => i);
const record = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, i]));

/** A JSON value that counts `n` values itself included (DEC-110's count), no array longer than `width`. */
function values(n: number, width: number): unknown {
  if (n <= 1) return 0;
  const inner = n - 1;
  if (inner <= width) return array(inner);
  const parts = Math.min(width, inner);
  return Array.from({ length: parts }, (_, i) => values(Math.floor(inner / parts) + (i < inner % parts ? 1 : 0), width));
}

export const valueLimitsChecks: Check[] = [
  {
    id: 'decision/errors/value-limits',
    title: 'An array over max_array_items or an object over max_record_members in properties or context gets 413; at the limits the request is decided',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-110'],
    async run(ctx) {
      const items = published(ctx, 'max_array_items');
      const members = published(ctx, 'max_record_members');
      const total = published(ctx, 'max_values');
      const withResource = (v: unknown) => ({ ...sampleRequest(), resource: { ...sampleRequest().resource, properties: { [NAME]: v } } });
      const withContext = (v: unknown) => ({ ...sampleRequest(), context: { [NAME]: v } });
      const cases: Array<[string, (v: unknown) => unknown, unknown, unknown, string]> = [
        [`an array of ${items} items in resource.properties`, withResource, array(items), array(items + 1), `/resource/properties/${NAME}`],
        [`an object of ${members} members in context`, withContext, record(members), record(members + 1), `/context/${NAME}`],
        // The member itself counts as one of the values of resource.properties.
        [`${total} values in resource.properties, no array longer than ${items}`, withResource, values(total, items), values(total + 1, items), '/resource/properties'],
      ];
      for (const [what, build, atLimit, over, pointer] of cases) {
        ctx.countCase();
        expectDecision(await ctx.http.post(ctx.endpoints.evaluation, build(atLimit)), `a valid request with ${what} (at the published limit, DEC-110)`);
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, build(over));
        expectTypedError(res, 'payload_too_large', pointer, `a request with one more than ${what} must get HTTP 413 payload_too_large pointing at ${pointer} (DEC-110)`);
        expectRejected(res, `a request with one more than ${what}`);
      }
      // In a batch the defaults are handed to the engine once per item: the limit holds there too.
      if (!ctx.classes.has('authzen-batch')) return;
      ctx.countCase();
      const { subject, action, resource } = withResource(array(items + 1)) as ReturnType<typeof sampleRequest>;
      const res = await ctx.http.post(ctx.endpoints.evaluations, { subject, action, resource, evaluations: [{}, { action: { name: 'write' } }] });
      expectTypedError(res, 'payload_too_large', `/resource/properties/${NAME}`, `a batch whose default resource holds an array of ${items + 1} items must get HTTP 413 payload_too_large (DEC-110)`);
      expectRejected(res, `a batch whose default resource holds an array of ${items + 1} items`);
    },
  },
];
