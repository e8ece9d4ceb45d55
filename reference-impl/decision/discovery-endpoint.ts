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

// A Host header we are willing to reflect into URLs: a name or IP literal and a port.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function metadataFor(issuer: string): PdpMetadata {
  return {
    policy_decision_point: issuer,
    access_evaluation_endpoint: `${issuer}${PATHS.evaluation}`,
    access_evaluations_endpoint: `${issuer}${PATHS.evaluations}`,
    search_subject_endpoint: `${issuer}${PATHS.searchSubject}`,
    search_resource_endpoint: `${issuer}${PATHS.searchResource}`,
    search_action_endpoint: `${issuer}${PATHS.searchAction}`,
    capabilities: CAPABILITIES,
    zti_limits: { ...ZTI_LIMITS },
  };
}

/** `issuer`: the configured policy_decision_point; `fallbackHost`: the address the PE listens on. */
export function discoveryEndpoint(issuer: string | undefined, fallbackHost: () => string): (req: IncomingMessage) => string {
  const fixed = issuer === undefined ? undefined : JSON.stringify(metadataFor(issuer.replace(/\/+$/, '')));
  const byHost = new Map<string, string>();
  return (req) => {
    if (fixed !== undefined) return fixed;
    const h = req.headers.host;
    const host = h !== undefined && HOST.test(h) ? h : fallbackHost();
    let body = byHost.get(host);
    if (body === undefined) {
      body = JSON.stringify(metadataFor(`http://${host}`));
      if (byHost.size < 64) byHost.set(host, body);
    }
    return body;
  };
}
