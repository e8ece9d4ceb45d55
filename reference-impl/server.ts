// The reference PE (Policy Engine, the AuthZEN PDP) of zt-interop: AuthZEN 1.0 evaluation,
// batch, search and discovery plus the pe-zt profile (spec/decision.md), decided by Cedar
// policies loaded from a fixture under vectors/fixtures/. It refuses to start with a broken
// policy set or entities file (ConfigError naming file, line and column).
import { constants as cryptoConstants, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { BearerAuth } from './lib/bearer-auth.js';
import { ClientCertAuth } from './lib/client-cert-auth.js';
import { connectionLimits, guardConnections, serverOptions, type ConnectionLimits } from './lib/connection-guard.js';
import { requestListener, type Route } from './lib/http-pipeline.js';
import { CedarEngine } from './decision/cedar-engine.js';
import { Decider } from './decision/decider.js';
import { decisionIds } from './decision/decision-ids.js';
import { discoveryEndpoint, PATHS } from './decision/discovery-endpoint.js';
import { loadEntities } from './decision/entity-store.js';
import { evaluationEndpoint } from './decision/evaluation-endpoint.js';
import { evaluationsEndpoint } from './decision/evaluations-endpoint.js';
import { ZTI_LIMITS } from './decision/limits.js';
import { PageTokens } from './decision/page-token.js';
import { plainAnswer, plainMetadata } from './decision/plain-authzen.js';
import { loadPolicies } from './decision/policy-store.js';
import { searchEndpoint } from './decision/search-endpoint.js';
import { restListener } from './lib/rest-routes.js';
import { KEY_MIGRATIONS } from './lib/signing-keys.js';
import { openStore, type Store } from './lib/store.js';
import type { HeldSignal, SignalListener } from './signals/held-signal.js';
import { PUSH_PATH, pushEndpoint } from './signals/push-endpoint.js';
import { SignalReceiver } from './signals/receiver.js';
import { setVerifier } from './signals/set-verify.js';
import { SIGNAL_MIGRATIONS, SignalStore } from './signals/signal-store.js';
import { SignalBus } from './signals/signal-bus.js';
import { BUS_MIGRATIONS, ReplicaReceiver } from './signals/replica-receiver.js';
import { freshEnough, LocalConsistency, type Consistency } from './signals/consistency.js';
import type { SetVerifier } from './signals/set-verify.js';
import { TransmitterKeys } from './signals/transmitter-keys.js';
import { DecisionTrust } from './signals/decision-trust.js';
import type { SignalView } from './signals/signal-view.js';
import { scopeOf } from './signals/trust-scope.js';
import { evaluateTrust } from './signals/trust.js';
import type { PushOptions } from './signals/transmitter/push-delivery.js';
import { SSF_MIGRATIONS } from './signals/transmitter/ssf-store.js';
import { startSsfService } from './signals/transmitter/ssf-service.js';
import { validate, type TrustLevel } from '../schemas/decision.js';

export { ConfigError } from './errors.js';

/** What the PE logs through; a pino logger fits. Tokens are never logged (DEC-083). */
export interface PeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PeOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** A fixture directory under vectors/fixtures/ (default 'zt-default'). */
  fixture?: string;
  /** Overrides the fixture's policies: a directory of *.cedar files. */
  policiesDir?: string;
  /** Overrides the fixture's entities: a Cedar entities JSON file. */
  entitiesFile?: string;
  /** Accepted bearer tokens. If empty or undefined and !noAuth, one random token is generated and returned. */
  tokens?: string[];
  /** Explicit opt-out of PEP authentication (e.g. for AuthZEN interop runners). */
  noAuth?: boolean;
  /** policy_decision_point; default `http://${Host header}` of the discovery request. */
  issuer?: string;
  /** Decision cache entries (default 100_000; 0 disables the cache). */
  cacheSize?: number;
  /** max_request_ms: how long one request may take before it is answered 413, undecided (default 2000, DEC-111). */
  requestBudgetMs?: number;
  /** ttl_s of a decision no policy bounds (default 60). */
  defaultTtlS?: number;
  /** Default false: no logging. */
  logger?: PeLogger | false;
  /**
   * Serve HTTPS with this PEM key and certificate chain (discovery then publishes https URLs).
   * requireClientCert turns on mTLS: a client certificate chaining to `ca` authenticates
   * the PEP (DEC-080). The handshake completes without one, so that a PEP without an accepted
   * certificate gets the typed 401 of DEC-081, not a TLS alert. Bearer tokens are then
   * accepted only when `tokens` are given; none is generated.
   */
  tls?: PeTlsOptions;
  /** Answer as a plain AuthZEN 1.0 PDP: no context.zti, no zti_limits, no pe-zt capability (`zti serve --plain`). */
  plain?: boolean;
  /** Deadlines and the connection cap (defaults: headers 10 s, whole request 30 s, 4096 connections). */
  limits?: Partial<ConnectionLimits>;
  /** Issuer URLs of the SSF transmitters whose SETs the PE accepts (SIG-012, SIG-025); none: no push endpoint. */
  transmitters?: string[];
  /** The directory of the PE's SQLite store (SIG-170); undefined: in memory, lost on exit (SIG-172). */
  dataDir?: string;
  /** Told of every committed signal (the transmitter side re-evaluates live sessions). */
  signalListeners?: SignalListener[];
  /** The held signals decisions read their trust from (spec/trust.md); default: the PE's own store. */
  signals?: SignalView;
  /**
   * Share signals with other replicas through a NATS JetStream stream (spec/signals.md §2.8):
   * `url` nats://host:port, `replica` this replica's name (its durable consumer). Needs transmitters.
   */
  bus?: { url: string; replica: string; publishTimeoutMs?: number };
  /** The SSF transmitter's tuning (spec/signals.md §2.6, §2.7); the defaults are the spec's. */
  ssf?: { push?: PushOptions; longPollMs?: number; redeliverMs?: number; sessionTrustFloor?: TrustLevel };
}

export interface PeTlsOptions {
  key: string;
  cert: string;
  /** PEM CA certificate(s) that issue accepted client certificates; required with requireClientCert. */
  ca?: string;
  requireClientCert?: boolean;
}

export interface RunningPe {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** The accepted bearer tokens (the generated one when none was configured). */
  tokens: string[];
  close(): Promise<void>;
  /** decisions: every decision made (single, batch items, search candidates); cacheHits: how many came from the cache; batchShared: from an earlier item of the same batch; cache: what the caches hold. */
  stats(): { decisions: number; cacheHits: number; batchShared: number; cache: { entries: number; bytes: number } };
  /** Connections open now (ConnectionLimits.maxConnections bounds them). */
  connections(): number;
  /** The signals held (SIGNALS-CONTRACT.md's SignalView; its version grows on each commit). */
  signals: SignalView;
  /** The database file, or undefined when the store is in memory. */
  storeFile: string | undefined;
  /** The SSF push endpoint's URL, when transmitters are configured. */
  pushEndpoint: string | undefined;
  /** The position of the signal log this PE's state reflects (SIG-183): the consistency token's value. */
  position(): number;
  /** Commits a signal as the receiver does and tells the listeners (the transmitter's live sessions among them). */
  applySignal(signal: HeldSignal): void;
}

const FIXTURE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export async function startReferencePe(opts: PeOptions = {}): Promise<RunningPe> {
  const log = opts.logger || undefined;
  const host = opts.host ?? '127.0.0.1';
  const cacheSize = integerOption('cacheSize', opts.cacheSize, 100_000, 0, Number.MAX_SAFE_INTEGER);
  const defaultTtlS = integerOption('defaultTtlS', opts.defaultTtlS, 60, 0, 86400);
  const requestBudgetMs = integerOption('requestBudgetMs', opts.requestBudgetMs, ZTI_LIMITS.max_request_ms, 1, 600_000);
  const decisionLimits = { ...ZTI_LIMITS, max_request_ms: requestBudgetMs };
  const port = integerOption('port', opts.port, 0, 0, 65535);
  const connLimits = connectionLimits(opts.limits);
  const issuer = opts.issuer === undefined ? undefined : checkIssuer(opts.issuer);
  const tokens = checkTokens(opts.tokens ?? []);
  const mtls = opts.tls?.requireClientCert === true && !opts.noAuth;
  if (mtls && !opts.tls?.ca) throw new ConfigError('option tls.requireClientCert needs tls.ca: the PEM CA certificate that issues the accepted client certificates');
  if (!opts.noAuth && !mtls && tokens.length === 0) tokens.push(randomBytes(32).toString('base64url'));

  const transmitters = checkTransmitters(opts.transmitters ?? []);
  const { policiesDir, entitiesFile } = locateFixture(opts);
  const policies = loadPolicies(policiesDir);
  const entities = loadEntities(entitiesFile);

  // SIG-171: a damaged, foreign or newer database stops startup here (ConfigError).
  const store: Store = openStore(opts.dataDir, [...SIGNAL_MIGRATIONS, ...KEY_MIGRATIONS, ...SSF_MIGRATIONS, ...BUS_MIGRATIONS]);
  const signals = new SignalStore(store);
  const engine = new CedarEngine(policies, entities, defaultTtlS);
  const decider = new Decider(engine, cacheSize, decisionIds(), new DecisionTrust(opts.signals ?? signals));

  // The SSF transmitter (spec/signals.md §2.5-2.7) on the same store; its live sessions read the
  // held signals and trust.ts like decisions do, and hear every committed signal (SIG-151).
  const signalListeners: SignalListener[] = [...(opts.signalListeners ?? [])];
  let baseUrl = '';
  const ssf = await startSsfService({
    db: store.db, issuer: () => issuer ?? baseUrl, mtls, view: opts.signals ?? signals, evaluate: evaluateTrust,
    ...opts.ssf, log: log ? { warn: (o, m) => log.warn(o, m), error: (o, m) => log.error(o, m) } : undefined,
  });
  signalListeners.push(ssf.liveSessions.listener);
  decider.onDecision = (input, rendered, now) => {
    if (rendered.decision) ssf.liveSessions.remember(input, Math.ceil((rendered.expiresAt - now) / 1000), 'none', now);
  };
  const searchDeps = { decider, entities, actions: engine.actionNames, tokens: new PageTokens() };

  const pushPath = transmitters.length > 0 ? PUSH_PATH : undefined;
  // SIG-181: the receiver verifies with the PE's issuer as aud, known once the PE listens.
  let verifyNow: SetVerifier | undefined;
  const verify: SetVerifier = (token, atS) => {
    if (!verifyNow) throw new Error('the signal receiver is not started');
    return verifyNow(token, atS);
  };
  let replica: ReplicaReceiver | undefined;
  if (opts.bus) {
    if (transmitters.length === 0) {
      await ssf.close();
      store.close();
      throw new ConfigError('option bus needs transmitters: the replicas share the signals of the transmitters they trust (give --transmitter)');
    }
    let bus: SignalBus;
    try {
      bus = await SignalBus.connect(opts.bus);
    } catch (e) {
      await ssf.close();
      store.close();
      throw e;
    }
    replica = new ReplicaReceiver({
      verify, bus, store, signals, scopeOf, listeners: signalListeners,
      onError: (err) => log?.error({ err }, 'reference PE: applying a signal from the bus failed; it will be delivered again'),
      onListenerError: (err, s) => log?.error({ err, jti: s.jti, iss: s.iss }, 'reference PE: a signal listener failed; the signal stays accepted'),
    });
  }
  const local = new LocalConsistency(() => signals.version);
  const consistency: Consistency = replica ?? local;
  decider.position = () => consistency.position;

  let boundHost = host;
  // --plain: the same decisions, without the pe-zt members (reference-impl/decision/plain-authzen.ts).
  const plain = <A, R extends string | Promise<string>>(handle: (a: A) => R) => (opts.plain
    ? (a: A): string | Promise<string> => { const r = handle(a); return typeof r === 'string' ? plainAnswer(r) : r.then(plainAnswer); }
    : handle);
  const discovery = discoveryEndpoint(issuer, () => boundHost, opts.tls ? 'https' : 'http', decisionLimits, pushPath);
  const routes = new Map<string, Route>([
    [PATHS.evaluation, { method: 'POST', handle: freshEnough(plain(evaluationEndpoint(decider)), consistency, validate.evaluationRequest) }],
    [PATHS.evaluations, { method: 'POST', handle: freshEnough(plain(evaluationsEndpoint(decider, requestBudgetMs)), consistency, validate.evaluationsRequest) }],
    [PATHS.searchSubject, { method: 'POST', handle: searchEndpoint('subject', searchDeps) }],
    [PATHS.searchResource, { method: 'POST', handle: searchEndpoint('resource', searchDeps) }],
    [PATHS.searchAction, { method: 'POST', handle: searchEndpoint('action', searchDeps) }],
    [PATHS.discovery, { method: 'GET', handle: opts.plain ? (req) => plainMetadata(discovery(req)) : discovery }],
  ]);
  const onInternalError = (err: unknown, req: { method?: string | undefined; url?: string | undefined }) => log?.error({ err, method: req.method, path: req.url }, 'reference PE: internal error, answered 500');

  const bearer = tokens.length > 0 ? new BearerAuth(tokens) : undefined;
  const auth = opts.noAuth ? undefined : mtls ? new ClientCertAuth(bearer) : bearer;
  const pipeline = requestListener({ routes, auth, maxBodyBytes: ZTI_LIMITS.max_body_bytes, onInternalError });
  // SIG-145: the SSF endpoints take 64 KiB bodies at most.
  const ssfListener = restListener({ resources: ssf.resources, auth, maxBodyBytes: 64 * 1024, maxDepth: ZTI_LIMITS.max_depth, onInternalError });
  const server = listenerServer(opts.tls, mtls, connLimits, (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    (ssf.resources.has(path) ? ssfListener : pipeline)(req, res);
  });
  // Bound how long a slow or endless request may hold a connection, and how many may be open.
  const openConnections = guardConnections(server, connLimits, opts.tls !== undefined);

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new ConfigError(`cannot listen on ${host}:${port} (${e.code ?? e.message}); choose another host or port (0 = any free port)`)));
      server.listen(port, host, () => resolveListen());
    });
  } catch (e) {
    store.close();
    throw e;
  }
  const addr = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  boundHost = `${reachable.includes(':') ? `[${reachable}]` : reachable}:${addr.port}`;
  const url = `${opts.tls ? 'https' : 'http'}://${boundHost}`;
  if (pushPath !== undefined) {
    // SIG-013: the expected aud is the PE's issuer, by default its base URL (known only now).
    verifyNow = setVerifier({ keys: new TransmitterKeys(transmitters), audience: issuer ?? url });
    const receiver = replica ?? new SignalReceiver({
      verify, store: signals, scopeOf, listeners: [...signalListeners, local.listener],
      onListenerError: (err, s) => log?.error({ err, jti: s.jti, iss: s.iss }, 'reference PE: a signal listener failed; the signal stays accepted'),
    });
    if (replica) await replica.start();
    routes.set(pushPath, pushEndpoint(receiver, onInternalError));
  }
  baseUrl = url;
  ssf.transmitter.start();
  ssf.liveSessions.recover();
  const authLog = opts.noAuth ? 'off' : `${mtls ? 'mTLS client certificates, ' : ''}${tokens.length} bearer token(s)`;
  log?.info({ url, policies: policies.files.length, entities: entities.size, auth: authLog }, 'reference PE listening');

  return {
    url,
    tokens: [...tokens],
    stats: () => ({ decisions: decider.decisions, cacheHits: decider.cacheHits, batchShared: decider.batchShared, cache: decider.cacheUse() }),
    connections: openConnections,
    signals,
    storeFile: store.file,
    pushEndpoint: pushPath === undefined ? undefined : `${issuer ?? url}${pushPath}`,
    position: () => consistency.position,
    applySignal: (signal) => {
      if (!signals.commit(signal, '')) return;
      for (const l of [...signalListeners, local.listener]) l(signal);
    },
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await ssf.close();
      await replica?.close();
      store.close();
    },
  };
}

/** node:http, or node:https with the PE's key and certificate (and client certificates requested for mTLS). */
function listenerServer(tls: PeTlsOptions | undefined, mtls: boolean, limits: ConnectionLimits, listener: RequestListener): Server {
  if (!tls) return createServer(serverOptions(limits), listener);
  if (typeof tls.key !== 'string' || typeof tls.cert !== 'string' || tls.key === '' || tls.cert === '') {
    throw new ConfigError('option tls needs key and cert: the PEM private key and certificate chain of the PE');
  }
  try {
    // rejectUnauthorized false: a PEP without an accepted certificate still completes the
    // handshake and gets a typed 401 (ClientCertAuth checks socket.authorized per request).
    return createTlsServer({
      ...serverOptions(limits), key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2',
      // No session resumption under mTLS: node reports a resumed session as authorized even
      // when its first handshake carried no client certificate.
      ...(mtls ? { ca: tls.ca, requestCert: true, rejectUnauthorized: false, secureOptions: cryptoConstants.SSL_OP_NO_TICKET } : {}),
    }, listener);
  } catch (e) {
    // The message of OpenSSL names what is wrong, never the key itself.
    throw new ConfigError(`option tls: the key, certificate or CA cannot be used (${e instanceof Error ? e.message : String(e)}); give PEM files whose key matches the certificate`);
  }
}

function locateFixture(opts: PeOptions): { policiesDir: string; entitiesFile: string } {
  if (opts.policiesDir !== undefined && opts.entitiesFile !== undefined) {
    return { policiesDir: resolve(opts.policiesDir), entitiesFile: resolve(opts.entitiesFile) };
  }
  const name = opts.fixture ?? 'zt-default';
  if (!FIXTURE_NAME.test(name)) throw new ConfigError(`fixture "${name}" is not a fixture name; give the name of a directory under vectors/fixtures/, such as "zt-default"`);
  const dir = join(fixturesRoot(), name);
  if (!existsSync(dir)) throw new ConfigError(`${dir}: no such fixture; give the name of a directory under vectors/fixtures/, such as "zt-default"`, dir);
  return {
    policiesDir: resolve(opts.policiesDir ?? join(dir, 'policies')),
    entitiesFile: resolve(opts.entitiesFile ?? join(dir, 'entities.json')),
  };
}

/** vectors/fixtures of the repository, whether we run from the sources or from a build one level down. */
function fixturesRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSources = resolve(here, '..', 'vectors', 'fixtures');
  return existsSync(fromSources) ? fromSources : resolve(here, '..', '..', 'vectors', 'fixtures');
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return value;
}

function checkIssuer(issuer: string): string {
  let u: URL;
  try {
    u = new URL(issuer);
  } catch {
    throw new ConfigError(`option issuer ${JSON.stringify(issuer)} is not a URL; give the PE's base URL, e.g. https://pdp.example.com`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.search !== '' || u.hash !== '') {
    throw new ConfigError(`option issuer ${JSON.stringify(issuer)} must be an http(s) URL without query or fragment (AuthZEN 1.0 Section 9.1)`);
  }
  return issuer.replace(/\/+$/, '');
}

function checkTransmitters(issuers: readonly string[]): string[] {
  for (const iss of issuers) {
    try {
      TransmitterKeys.check(iss);
    } catch (e) {
      throw new ConfigError(`option transmitters: ${e instanceof Error ? e.message : String(e)}; give the transmitter's issuer URL, as its /.well-known/ssf-configuration names it`);
    }
  }
  if (new Set(issuers).size !== issuers.length) throw new ConfigError('option transmitters: an issuer is listed twice');
  return [...issuers];
}

function checkTokens(tokens: readonly string[]): string[] {
  for (const t of tokens) {
    if (typeof t !== 'string' || t.trim() === '' || /\s/.test(t)) throw new ConfigError('option tokens: every token must be a non-empty string without whitespace');
  }
  return [...tokens];
}
