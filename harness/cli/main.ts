// The zti command line: test, serve, vectors, gen.
import { Command, Option } from 'commander';
import { testCommand } from './test-command.js';
import { visible } from '../reporters/visible-text.js';
import { serveCommand } from './serve-command.js';
import { vectorsValidateCommand, vectorsReplayCommand, vectorsRecordCommand, type VectorsRecordFlags } from './vectors-command.js';
import { reportHtmlCommand, reportMergeCommand } from './report-command.js';
import { VERSION } from '../base/paths.js';
import { UsageError } from '../base/usage-error.js';

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** Set by `zti serve`: the process must stay up after the command returns. */
let serving = false;

export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command('zti').version(VERSION).description('zt-interop: the zero-trust interoperability toolkit').exitOverride();

  program.command('test')
    .description('run the conformance harness against --target, or against the embedded reference PE')
    .option('--config <file>', 'configuration file (schemas/json/harness/config.schema.json; default: zti.config.json or zti.config.jsonc in the working directory)')
    .option('--target <url>', 'base URL of the endpoint under test (default: start the reference PE in process)')
    .option('--classes <list>', 'comma-separated conformance classes to test (default: those the discovery document claims)')
    .option('--auth-header <header>', 'header that authenticates the harness, "Name: value" (prefer $ZTI_AUTH_HEADER or $ZTI_TOKEN for secrets)')
    .option('--ca <file>', 'PEM CA certificate(s) that verify the target\'s server certificate (over ca_file in the config)')
    .option('--client-cert <file>', 'PEM client certificate presented to the target for mTLS (with --client-key; over an mtls auth in the config)')
    .option('--client-key <file>', 'PEM private key of --client-cert (an encrypted key\'s passphrase from $ZTI_CLIENT_KEY_PASSPHRASE)')
    .option('--embedded-tls', 'run the embedded reference PE over HTTPS with mTLS, using a throwaway CA and client certificate')
    .option('--seed <n>', 'seed for generated requests (printed first; same seed, same requests)')
    .option('--runs <n>', 'generated cases per property (default: 100)')
    .option('--only <ids>', 'run only these check IDs (globs, repeatable or comma-separated)', collect)
    .option('--skip <ids>', 'skip these check IDs (globs)', collect)
    .option('--list', 'list the checks with their class, keyword and requirement IDs, and exit')
    .option('--json <file>', 'write the results as JSON (schemas/json/harness/results.schema.json)')
    .option('--junit <file>', 'write the results as JUnit XML')
    .option('--strict', 'SHOULD failures fail the run')
    .option('--expected-failures <file>', 'baseline of checks known to fail (schemas/json/harness/expected-failures.schema.json): only unlisted failures fail the run')
    .option('--scenarios', 'also run the scenario vectors of --fixture against the target')
    .option('--fixture <name>', 'the fixture the target has loaded (embedded default: zt-default)')
    .option('--vectors <dir>', 'scenario vectors directory (default: the bundled vectors/)')
    .option('--authzen-vectors <file>', 'also run an AuthZEN interop vector file as it is (Todo, gateway, search, IdP: {evaluation:[…], evaluations:[…], search:[…]})')
    .option('--authzen-comparison <how>', 'how --authzen-vectors cases are compared: decisions (default: decisions and result sets) or exact (as the official runners, predicting their count)')
    .option('--replay <token>', 'rerun exactly one failing case: the token (CHECK@SEED[:PATH]) printed after "replay:"')
    .option('--transcript <file>', 'write every HTTP exchange of every case as NDJSON (schemas/json/harness/transcript.schema.json)')
    .option('--html <file>', 'write a self-contained HTML report with the full transcript of each case')
    .option('--concurrency <n>', 'checks in flight at once', '4')
    .option('--timeout <ms>', 'bound of each exchange, from the first byte sent to the last byte read', '10000')
    .option('--max-body <bytes>', 'cap of every response body the harness reads; a larger one fails its check (default 4194304, 4 MiB)')
    .option('--deadline <ms>', 'deadline of the whole run: requests are then aborted and unfinished checks get "error" (default 600000, 10 min)')
    .option('--evidence-dir <dir>', 'where failing cases are written as vector files (default .zti/failures)')
    .option('--verbose', 'also list checks that were not applicable')
    .option('--profile <name>', 'run a certification profile instead of the default checks: authzen-cert (the OpenID AuthZEN certification scenario), graded per level')
    .option('--levels <list>', 'comma-separated levels of --profile (default: all): basic-core, basic-properties, batch-core, batch-properties, search-core, search-properties, discovery; prerequisites are added')
    // The harness's own servers for the signal classes (harness/cli/signal-servers.ts).
    .option('--transmitter-listen <host:port>', 'where the harness transmitter (its JWKS and SSF metadata) listens, so that a receiver is configured once (default: 127.0.0.1, a free port)')
    .option('--transmitter-url <url>', 'the issuer the harness transmitter announces, when the receiver reaches it by another URL')
    .option('--transmitter-keys <file>', 'keep the harness transmitter\'s signing keys in this file across runs (made when missing)')
    .option('--receiver-listen <host:port>', 'where the harness receiver (the push endpoints it gives a transmitter) listens')
    .option('--receiver-url <url>', 'the base URL the target\'s transmitter is told for the harness\'s push endpoints')
    .option('--push-endpoint <url>', 'the receiver\'s push endpoint, when its discovery document has no zti_signals_push_endpoint (default: /ssf/push)')
    .option('--audience <url>', 'the receiver\'s own identifier, the aud its SETs must carry (default: --target)')
    .action(async (flags: Parameters<typeof testCommand>[0]) => exit(await testCommand(flags)));

  program.command('serve')
    .description('run the reference PE (AuthZEN + zero-trust profile) on 127.0.0.1')
    .option('--port <n>', 'port, 0 = any free port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--fixture <name>', 'bundled fixture to load (zt-default, authzen-todo, authzen-gateway, authzen-search, authzen-idp, authzen-cert)')
    .option('--policies <dir>', 'directory of Cedar policy files (with --entities)')
    .option('--entities <file>', 'Cedar entities JSON file (with --policies)')
    .option('--issuer <url>', 'policy_decision_point to publish (default: http://<listen address>, or the loopback name the client used); set it when the PE is reached under another name')
    .option('--token-env <name>', 'environment variable holding accepted bearer tokens, comma-separated', 'ZTI_PE_TOKENS')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate chain (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--client-ca <file>', 'turn on mTLS: a client certificate issued by this PEM CA authenticates the PEP (bearer tokens only if $ZTI_PE_TOKENS is set)')
    .option('--max-connections <n>', 'connections open at once; the one over it gets 503 service_unavailable (default 4096)')
    .option('--headers-timeout <ms>', 'a request\'s headers must arrive within this, else 408 and the connection closes (default 10000)')
    .option('--request-timeout <ms>', 'the whole request must arrive within this, else 408 and the connection closes (default 30000)')
    .option('--dev-tls', 'HTTPS and mTLS with a throwaway CA, server and client certificate written to a temporary directory (printed)')
    .addOption(new Option('--no-auth', 'accept unauthenticated PEPs (for AuthZEN interop runners; never in production)'))
    .option('--plain', 'answer as a plain AuthZEN 1.0 PDP: no context.zti, no zti_limits, pe-zt not claimed (for AuthZEN interop runners, which compare answers as exact JSON)')
    .option('--transmitter <issuer>', 'accept SETs from this SSF transmitter, its keys found through <issuer>/.well-known/ssf-configuration (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--data <dir>', 'keep signals and the replay cache in <dir>/zti.sqlite (default: in memory, lost on exit)')
    .option('--bus <url>', 'share signals with other replicas through NATS JetStream at nats://HOST:PORT (with --replica and --transmitter)')
    .option('--replica <name>', 'this replica\'s name on the bus, its own for each replica (letters, digits, - and _)')
    .action(async (flags: Parameters<typeof serveCommand>[0]) => {
      const stop = await serveCommand(flags);
      serving = true;
      const shutdown = () => { void stop().then(() => exit(0)); };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  const vectors = program.command('vectors').description('validate and replay test vectors');
  vectors.command('validate')
    .description('validate vector files against the vector schema and the spec (default: the bundled vectors/)')
    .argument('[paths...]', 'files or directories')
    .option('--root <dir>', 'the vectors root that ids are relative to')
    .action((paths: string[], flags: { root?: string }) => exit(vectorsValidateCommand(paths, flags)));
  vectors.command('replay')
    .description('run vector files against a target')
    .argument('<paths...>', 'files or directories')
    .option('--target <url>', 'base URL of the endpoint (or "target" in the config file; default: the embedded reference PE, loaded with the fixture the vectors name)')
    .option('--auth-header <header>', 'header that authenticates (prefer $ZTI_AUTH_HEADER / $ZTI_TOKEN)')
    .option('--root <dir>', 'the vectors root that ids are relative to')
    .option('--authzen-comparison <how>', 'for an AuthZEN interop vector file: decisions (default) or exact (as the official runners)')
    .action(async (paths: string[], flags: Parameters<typeof vectorsReplayCommand>[1]) => exit(await vectorsReplayCommand(paths, flags)));

  vectors.command('record')
    .description('run the checks against a target (default: the embedded reference PE) and write what it answered, per check it passed, as vector files')
    .requiredOption('--out <dir>', 'directory to write the vector files to (ids are paths under it)')
    .option('--target <url>', 'base URL of the endpoint to record (default: the embedded reference PE)')
    .option('--fixture <name>', 'the fixture the target has loaded: decisions are recorded only when it is named (embedded default: zt-default)')
    .option('--auth-header <header>', 'header that authenticates (prefer $ZTI_AUTH_HEADER / $ZTI_TOKEN)')
    .option('--seed <n>', 'seed for generated requests (same seed, same requests)')
    .option('--runs <n>', 'generated cases per property', '20')
    .option('--classes <list>', 'comma-separated conformance classes (default: those the target claims)')
    .option('--only <ids>', 'record only these check IDs (globs)', collect)
    .option('--skip <ids>', 'skip these check IDs (globs)', collect)
    .action(async (flags: VectorsRecordFlags) => exit(await vectorsRecordCommand(flags)));
  // The target, its credentials and TLS come as for zti test: flags, then environment, then the config file.
  for (const sub of vectors.commands.filter((c) => c.name() !== 'validate')) {
    sub.option('--config <file>', 'configuration file (default: zti.config.json or zti.config.jsonc in the working directory)')
      .option('--ca <file>', 'PEM CA certificates that verify the target\'s server certificate')
      .option('--client-cert <file>', 'PEM client certificate for mTLS (with --client-key)')
      .option('--client-key <file>', 'PEM private key of --client-cert (passphrase from $ZTI_CLIENT_KEY_PASSPHRASE)');
  }

  const report = program.command('report').description('render zti test --json results as an HTML page or an implementations-by-checks matrix');
  report.command('html')
    .description('one run as a self-contained HTML page: verdicts, requirement sentences, failing exchanges')
    .argument('<results>', 'results file written by zti test --json')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--spec <dir>', 'spec directory for the requirement sentences (default: the bundled spec/)')
    .option('--transcript <file>', 'the run\'s NDJSON transcript (zti test --transcript): show every exchange of every case')
    .action((file: string, flags: Parameters<typeof reportHtmlCommand>[1]) => exit(reportHtmlCommand(file, flags)));
  report.command('merge')
    .description('several runs as an implementations-by-checks matrix (Markdown on stdout unless --html or --markdown)')
    .argument('<results...>', 'results files, each optionally NAME=FILE to name its column')
    .option('--html <file>', 'write the matrix as a self-contained HTML page')
    .option('--markdown <file>', 'write the matrix as a Markdown table')
    .action((files: string[], flags: Parameters<typeof reportMergeCommand>[1]) => exit(reportMergeCommand(files, flags)));

  program.command('gen')
    .description('regenerate JSON Schema, types, OpenAPI, spec tables and the vector manifest (same as npm run gen)')
    .option('--check', 'fail with a diff if the committed files are stale')
    .action(async (flags: { check?: boolean }) => {
      // Loaded on demand: gen needs json-schema-to-typescript, a devDependency an installed package lacks.
      const { runGen } = await import('../gen/run.js');
      exit(await runGen(flags.check ?? false));
    });

  return program;
}

/** Runs the CLI; resolves to true when the process must stay up (a server is running). */
export async function main(argv: string[]): Promise<boolean> {
  const exit = (code: number) => { process.exitCode = code; };
  try {
    await buildProgram(exit).parseAsync(argv);
    return serving;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string; name?: string };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      // commander already printed help, the version or the usage error.
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
      return false;
    }
    if (e instanceof UsageError || ['ConfigError', 'HarnessError', 'VectorFileError'].includes(err.name ?? '')) {
      // The message may quote the target (an error, a WWW-Authenticate header): its controls are shown, not obeyed.
      process.stderr.write(`zti: ${visible(err.message ?? String(e), { lines: true })}\n`);
      process.exitCode = 2;
      return false;
    }
    process.stderr.write(`zti: internal error: ${visible(e instanceof Error ? e.stack ?? e.message : String(e), { lines: true })}\n`);
    process.exitCode = 2;
    return false;
  }
}
