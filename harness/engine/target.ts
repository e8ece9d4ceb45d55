// Learns what a target is before any check runs: whether it answers, where its endpoints
// are (AuthZEN 1.0 Section 9: advertised URLs win over default paths) and what it claims.
import { CLASS_URN_PREFIX, CONFORMANCE_CLASSES, DECISION_PATHS, type ConformanceClass, type PdpMetadata } from '../../schemas/decision.js';
import { validate } from '../../schemas/decision.js';
import type { Endpoints } from './check.js';
import { HarnessError } from './failure.js';
import { TargetClient, TransportError, type AuthHeader, type HttpResponse, type TlsClientOptions } from './http-client.js';

export const DEFAULT_PATHS: Endpoints = { ...DECISION_PATHS };

export interface TargetProfile {
  metadata: PdpMetadata | undefined;
  endpoints: Endpoints;
  /** Classes the target claims, as read from its discovery document. */
  claimed: ConformanceClass[];
}

export async function probeTarget(http: TargetClient): Promise<TargetProfile> {
  let res;
  try {
    res = await http.get(DEFAULT_PATHS.discovery, { anonymous: true });
  } catch (e) {
    if (e instanceof TransportError) throw new HarnessError(`cannot reach the target ${http.baseUrl}: ${e.exchange.error ?? e.message}. ${tlsHint(e.exchange.error ?? '') ?? 'Check --target and that the endpoint is up.'}`, e.exchange);
    throw e;
  }
  http.take();
  const metadata = res.status === 200 && validate.pdpMetadata(res.json) ? res.json : undefined;
  if (!metadata) {
    const answer = await checkCredentials(http, DEFAULT_PATHS.evaluation);
    notAuthzen(http.baseUrl, res, answer);
    // A document served but invalid is a discovery failure to report (DEC-040), not a reason
    // to test less.
    return { metadata: undefined, endpoints: { ...DEFAULT_PATHS }, claimed: res.status === 200 ? ['authzen-core', 'authzen-discovery'] : [] };
  }
  // AuthZEN 1.0 Section 9.3: metadata whose policy_decision_point is not the URL it was
  // fetched from must not be used (DEC-041 reports it); nor is an endpoint on another origin.
  const base = http.baseUrl.replace(/\/+$/, '');
  const trusted = metadata.policy_decision_point.replace(/\/+$/, '') === base;
  const origin = new URL(base).origin;
  const use = (advertised: string | undefined, fallback: string) =>
    trusted && advertised !== undefined && new URL(advertised).origin === origin ? advertised : fallback;
  const endpoints: Endpoints = {
    evaluation: use(metadata.access_evaluation_endpoint, DEFAULT_PATHS.evaluation),
    evaluations: use(metadata.access_evaluations_endpoint, DEFAULT_PATHS.evaluations),
    searchSubject: use(metadata.search_subject_endpoint, DEFAULT_PATHS.searchSubject),
    searchResource: use(metadata.search_resource_endpoint, DEFAULT_PATHS.searchResource),
    searchAction: use(metadata.search_action_endpoint, DEFAULT_PATHS.searchAction),
    discovery: DEFAULT_PATHS.discovery,
  };
  const claimed = new Set<ConformanceClass>(['authzen-core', 'authzen-discovery']);
  if (metadata.access_evaluations_endpoint) claimed.add('authzen-batch');
  if (metadata.search_subject_endpoint || metadata.search_resource_endpoint || metadata.search_action_endpoint) claimed.add('authzen-search');
  for (const urn of metadata.capabilities ?? []) {
    const c = urn.startsWith(CLASS_URN_PREFIX) ? urn.slice(CLASS_URN_PREFIX.length) : '';
    if ((CONFORMANCE_CLASSES as readonly string[]).includes(c)) claimed.add(c as ConformanceClass);
  }
  await checkCredentials(http, endpoints.evaluation);
  return { metadata, endpoints, claimed: [...claimed] };
}

/**
 * Without credentials the target accepts, every check would fail on a 401 and hide what is
 * actually wrong; that is a configuration error (exit 2), said once.
 */
async function checkCredentials(http: TargetClient, evaluation: string): Promise<HttpResponse> {
  const probe = { subject: { type: 'user', id: 'zti-preflight' }, action: { name: 'read' }, resource: { type: 'document', id: 'zti-preflight' } };
  const res = await http.post(evaluation, probe).catch((e: unknown) => {
    if (e instanceof TransportError) throw new HarnessError(`the target did not answer an evaluation request at ${evaluation}: ${e.exchange.error ?? e.message}`, e.exchange);
    throw e;
  });
  http.take();
  if (res.status !== 401 && res.status !== 403) return res;
  const given = http.options.auth !== undefined || http.options.tls?.cert !== undefined;
  throw new HarnessError(`the target ${http.baseUrl} answered ${res.status} to ${given ? 'the credentials the harness sent' : 'a request without credentials'}${res.headers['www-authenticate'] ? ` (WWW-Authenticate: ${res.headers['www-authenticate']})` : ''}; ${given ? 'check' : 'give the harness'} its credentials with $ZTI_TOKEN (a bearer token), $ZTI_AUTH_HEADER ("Name: value") or, for mTLS, --client-cert and --client-key (or the config file's auth)`, res.exchange);
}

/**
 * issue 14 §2: a target without a discovery document whose evaluation endpoint answers no
 * JSON (a web server's welcome page) or 404/405 is not an AuthZEN PDP at that URL; testing
 * it would only give vacuous passes, so the run stops (exit 2) with what it answered.
 */
function notAuthzen(base: string, discovery: HttpResponse, evaluation: HttpResponse): void {
  const named = endpointPrefix(base);
  const json = typeof evaluation.json === 'object' && evaluation.json !== null && !Array.isArray(evaluation.json);
  if (json && typeof (evaluation.json as { decision?: unknown }).decision === 'boolean') return;
  if (!named && json && evaluation.status !== 404 && evaluation.status !== 405) return;
  const origin = new URL(base).origin;
  const hint = named !== undefined ? `try --target ${named}`
    : base !== origin ? `try --target ${origin} if the PDP is served at the root, or give the URL under which ${DEFAULT_PATHS.discovery} and ${DEFAULT_PATHS.evaluation} are served`
      : `give the URL under which ${DEFAULT_PATHS.discovery} and ${DEFAULT_PATHS.evaluation} are served`;
  throw new HarnessError(`${base} does not answer as an AuthZEN PDP: is --target the PDP's base URL? ${named !== undefined ? `It names the endpoint ${base.slice(named.length)}, not the base URL. ` : ''}Discovery (GET ${discovery.exchange.request.url}) answered ${describe(discovery)}, and an evaluation request (POST ${evaluation.exchange.request.url}) answered ${describe(evaluation)}; ${hint}.`, evaluation.exchange);
}

/** The base URL in front of a known AuthZEN path that `base` ends with, if it does. */
function endpointPrefix(base: string): string | undefined {
  const path = new URL(base).pathname.replace(/\/+$/, '');
  const known = [...Object.values(DEFAULT_PATHS), '/access/v1', '/access/v1/search'].sort((a, b) => b.length - a.length).find((p) => path.endsWith(p));
  return known === undefined ? undefined : base.replace(/\/+$/, '').slice(0, -known.length);
}

/** Status, media type and the start of the body, quoted (the peer's text is escaped). */
function describe(res: HttpResponse): string {
  const text = res.text.replace(/\s+/g, ' ').trim();
  return `${res.status}${res.headers['content-type'] ? ` ${res.headers['content-type']}` : ''}${text ? ` ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}` : ' with an empty body'}`;
}

/** What to do about a TLS failure, when the transport error is one. */
function tlsHint(error: string): string | undefined {
  if (/self[- ]signed|unable to (get|verify)|certificate (chain|verify)|UNABLE_TO|SELF_SIGNED/i.test(error)) {
    return 'The target\'s server certificate is not trusted: give the CA that issued it with --ca FILE (or ca_file in the config file).';
  }
  if (/altname|hostname|Host: .* is not in the cert/i.test(error)) return 'The target\'s server certificate does not name the host of --target: use a URL with a name the certificate lists.';
  if (/alert|handshake|certificate required|bad certificate/i.test(error)) return 'The TLS handshake failed: if the target requires a client certificate, give it with --client-cert and --client-key.';
  return undefined;
}

/** A target named for some classes (zti.config.json "targets"): its URL, credentials and TLS settings. */
export interface TargetSpec {
  baseUrl: string;
  auth?: AuthHeader | undefined;
  tls?: TlsClientOptions | undefined;
}

export interface ClassTarget {
  client: TargetClient;
  profile: TargetProfile;
  /** The classes under test that this target serves (the checks' view of "classes under test"). */
  classes: ReadonlySet<ConformanceClass>;
}

export interface ProbedTargets {
  /** Classes claimed, each read from the target that serves it. */
  claimed: ConformanceClass[];
  /** Fixes the classes under test, once they are known; before, classes are empty. */
  select(classes: ReadonlySet<ConformanceClass>): void;
  forClass(c: ConformanceClass): ClassTarget;
  close(): Promise<void>;
}

/**
 * Probes the default target and every distinct target named for a class, once each (a spec
 * object shared by several classes is one target). A class with no target of its own is
 * served by the default target. Clients of other targets share no connections or
 * credentials with the default one.
 */
export async function probeTargets(root: TargetClient, perClass: Partial<Record<ConformanceClass, TargetSpec>> = {}): Promise<ProbedTargets> {
  const own = new Map<TargetSpec, TargetClient>();
  const byClass = new Map<ConformanceClass, TargetClient>();
  for (const [c, spec] of Object.entries(perClass) as Array<[ConformanceClass, TargetSpec | undefined]>) {
    if (!spec) continue;
    let client = own.get(spec);
    if (!client) {
      client = new TargetClient(spec.baseUrl.replace(/\/+$/, ''), { ...root.options, auth: spec.auth, tls: spec.tls });
      own.set(spec, client);
    }
    byClass.set(c, client);
  }
  const profiles = new Map<TargetClient, TargetProfile>();
  try {
    for (const client of [root, ...own.values()]) profiles.set(client, await probeTarget(client));
  } catch (e) {
    await Promise.all([...own.values()].map((c) => c.close()));
    throw e;
  }
  const clientOf = (c: ConformanceClass) => byClass.get(c) ?? root;
  const claimed = CONFORMANCE_CLASSES.filter((c) => profiles.get(clientOf(c))!.claimed.includes(c));
  let served = new Map<TargetClient, ReadonlySet<ConformanceClass>>();
  return {
    claimed,
    select(classes) {
      served = new Map();
      for (const client of profiles.keys()) served.set(client, new Set([...classes].filter((c) => clientOf(c) === client)));
    },
    forClass(c) {
      const client = clientOf(c);
      return { client, profile: profiles.get(client)!, classes: served.get(client) ?? new Set() };
    },
    close: async () => { await Promise.all([...own.values()].map((c) => c.close())); },
  };
}
