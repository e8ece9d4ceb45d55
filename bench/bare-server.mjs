// @ts-check
// The physical floor of P1 (QUALITY.md): a bare node:http server that reads the whole
// POST body and answers a fixed JSON decision. Same runtime, same request, no work, so
// "reference / bare" measures what the PE itself costs. Run as its own process, pinned by
// the caller (taskset), and stopped with SIGTERM.
//   node bench/bare-server.mjs --port 0
// Prints one JSON line on stdout: {"url": "http://127.0.0.1:<port>"}.
import * as http from 'node:http';
import { parseArgs } from 'node:util';

const BODY = '{"decision":true}';
const LENGTH = String(Buffer.byteLength(BODY));

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });

const server = http.createServer((req, res) => {
  // Consume the body like a real handler must, but keep nothing of it.
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': LENGTH });
    res.end(BODY);
  });
});
// Same keep-alive behaviour as a default node:http server; wrk holds its connections open.
server.listen(Number(values.port), values.host, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://${values.host}:${port}` })}\n`);
});

const stop = () => {
  setTimeout(() => process.exit(0), 2000).unref();
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
