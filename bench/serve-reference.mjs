// @ts-check
// Starts the reference PE alone in this process so that the benchmark can pin it to one
// core (taskset) and profile it (node --cpu-prof), apart from the load generator. It runs the
// compiled package (dist/, built by `npm run build`, what `npx zti serve` runs) under plain
// node: no TypeScript loader, so what is measured is what users run.
//   node bench/serve-reference.mjs --port 0 --token T [--cache-size 0] [--fixture F]
// Prints one JSON line on stdout, {"url", "token"}, once it listens. On SIGTERM or SIGINT
// it closes the PE, writes stats() to --stats-file if given, and exits 0 (a clean exit is
// what makes node write the --cpu-prof profile).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    fixture: { type: 'string', default: 'zt-default' },
    token: { type: 'string' },
    'cache-size': { type: 'string' },
    'stats-file': { type: 'string' },
  },
});

const cacheSize = values['cache-size'] === undefined ? undefined : Number(values['cache-size']);
if (cacheSize !== undefined && !(Number.isInteger(cacheSize) && cacheSize >= 0)) {
  process.stderr.write(`serve-reference: --cache-size must be a whole number >= 0, got "${values['cache-size']}"\n`);
  process.exit(2);
}

const dist = new URL('../dist/reference-impl/server.js', import.meta.url);
if (!fs.existsSync(dist)) {
  process.stderr.write('serve-reference: dist/ is missing; run `npm run build` (bench/run.sh does)\n');
  process.exit(2);
}
/** @type {typeof import('../reference-impl/server.js')} */
const { startReferencePe } = await import(dist.href);
const pe = await startReferencePe({
  port: Number(values.port),
  host: values.host,
  fixture: values.fixture,
  logger: false,
  ...(values.token === undefined ? {} : { tokens: [values.token] }),
  ...(cacheSize === undefined ? {} : { cacheSize }),
});
process.stdout.write(`${JSON.stringify({ url: pe.url, token: pe.tokens[0] ?? null })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const stats = pe.stats();
  // An idle keep-alive socket must not keep the profile from being written.
  await Promise.race([pe.close(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  if (values['stats-file']) fs.writeFileSync(values['stats-file'], `${JSON.stringify(stats)}\n`);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
