// The reference PE in a child process of the fuzzer, so that a crash shows as an exit
// instead of taking the fuzzer down with it. This file only starts the PE (the embedded
// default target, as `zti test` does); the fuzzer judges it over HTTP like any vendor's.
// Prints {"url", "token"} on stdout once it listens; SIGTERM closes it.
import { startReferencePe } from '../../reference-impl/server.js';

const pe = await startReferencePe({ port: 0, host: '127.0.0.1', fixture: process.env['ZTI_FUZZ_FIXTURE'] ?? 'zt-default', logger: false });
process.stdout.write(`${JSON.stringify({ url: pe.url, token: pe.tokens[0] })}\n`);
const stop = () => {
  const timer = setTimeout(() => process.exit(0), 3000);
  timer.unref();
  void pe.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
