// `zti serve`: the reference PE on 127.0.0.1, for vendors to test their PEPs against and
// for interop events. It refuses to run without PEP authentication unless told so.
import { startReferencePe } from '../../reference-impl/server.js';
import { UsageError } from './usage-error.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  fixture?: string;
  policies?: string;
  entities?: string;
  tokenEnv?: string;
  auth?: boolean; // commander's --no-auth sets this to false
  issuer?: string;
}

export async function serveCommand(flags: ServeFlags, out: (s: string) => void = (s) => process.stderr.write(s)): Promise<() => Promise<void>> {
  const port = flags.port === undefined ? 8080 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535 (0 = any free port), got "${flags.port}"`);
  if ((flags.policies === undefined) !== (flags.entities === undefined)) throw new UsageError('--policies and --entities go together: give both, or neither to use --fixture');
  const envName = flags.tokenEnv ?? 'ZTI_PE_TOKENS';
  const tokens = (process.env[envName] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const pe = await startReferencePe({
    host: flags.host ?? '127.0.0.1', port,
    ...(flags.fixture ? { fixture: flags.fixture } : {}),
    ...(flags.policies ? { policiesDir: flags.policies } : {}),
    ...(flags.entities ? { entitiesFile: flags.entities } : {}),
    ...(flags.issuer ? { issuer: flags.issuer } : {}),
    tokens, noAuth: flags.auth === false,
  });
  out(`zti serve: reference PE listening on ${pe.url}\n`);
  if (flags.auth === false) out('  PEP authentication is OFF (--no-auth): every caller may ask for decisions.\n');
  else if (tokens.length === 0) out(`  no tokens in $${envName}; generated one for this run:\n  ZTI_TOKEN=${pe.tokens[0]!}\n`);
  else out(`  accepting ${tokens.length} bearer token(s) from $${envName}\n`);
  return () => pe.close();
}
