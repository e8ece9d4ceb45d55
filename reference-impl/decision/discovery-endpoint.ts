// GET /.well-known/authzen-configuration (AuthZEN 1.0 Section 9), served without
// authentication (DEC-082). policy_decision_point is the configured issuer or else the
// base URL the document was fetched from (DEC-041), and every endpoint URL is absolute.
import type { IncomingMessage } from 'node:http';
import { DECISION_PATHS, classUrn, type PdpMetadata } from '../../schemas/decision.js';
import { ZTI_LIMITS } from './limits.js';

/** The default paths, shared with the harness (AuthZEN 1.0 Section 10.1). */
export const PATHS = DECISION_PATHS;

// DEC-043: the conformance classes the reference PE claims.
const CAPABILITIES = (['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery', 'pe-zt'] as const).map(classUrn);

// The Host names reflected into the document: only loopback names of this PE's own port.
// Any other Host (a client can send anything, and a shared cache could keep the answer)
// gets the listen address; a PE reached under another name is given --issuer.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `limits`: what the PE enforces (DEC-043); `pushPath`: the SSF push endpoint's path when the PE receives signals (SIG-040). */
export function metadataFor(issuer: string, limits: PdpMetadata['zti_limits'] = ZTI_LIMITS, pushPath?: string): PdpMetadata {
  const doc: PdpMetadata = {
    policy_decision_point: issuer,
    access_evaluation_endpoint: `${issuer}${PATHS.evaluation}`,
    access_evaluations_endpoint: `${issuer}${PATHS.evaluations}`,
    search_subject_endpoint: `${issuer}${PATHS.searchSubject}`,
    search_resource_endpoint: `${issuer}${PATHS.searchResource}`,
    search_action_endpoint: `${issuer}${PATHS.searchAction}`,
    // The reference PE is always an SSF transmitter (spec/signals.md §2.5).
    capabilities: [...CAPABILITIES, classUrn('signal-transmitter')],
    zti_limits: { ...limits },
  };
  if (pushPath !== undefined) {
    doc.capabilities = [...doc.capabilities!, classUrn('signal-receiver')];
    doc.zti_signals_push_endpoint = `${issuer}${pushPath}`;
  }
  return doc;
}

function reflectable(host: string | undefined, bound: string): boolean {
  if (host === undefined || host === bound) return host !== undefined;
  const colon = host.lastIndexOf(':');
  if (colon < 0) return false;
  return LOOPBACK.has(host.slice(0, colon).toLowerCase()) && host.slice(colon + 1) === bound.slice(bound.lastIndexOf(':') + 1);
}

/** `issuer`: the configured policy_decision_point; `fallbackHost`: the address the PE listens on; `scheme`: https when it serves TLS. */
export function discoveryEndpoint(issuer: string | undefined, fallbackHost: () => string, scheme: 'http' | 'https' = 'http', limits: PdpMetadata['zti_limits'] = ZTI_LIMITS, pushPath?: string): (req: IncomingMessage) => string {
  const fixed = issuer === undefined ? undefined : JSON.stringify(metadataFor(issuer.replace(/\/+$/, ''), limits, pushPath));
  const byHost = new Map<string, string>();
  return (req) => {
    if (fixed !== undefined) return fixed;
    const bound = fallbackHost();
    const host = reflectable(req.headers.host, bound) ? req.headers.host! : bound;
    let body = byHost.get(host);
    if (body === undefined) {
      body = JSON.stringify(metadataFor(`${scheme}://${host}`, limits, pushPath));
      if (byHost.size < 64) byHost.set(host, body);
    }
    return body;
  };
}
