// The levels of the AuthZEN certification profile (the OpenID AuthZEN WG's certification
// scenario, "Certification Levels" and its Test ID Matrix): which checks each level holds,
// and which level it requires. The checks of c-2-3 to c-2-6 and c-5 belong to every level.
import type { Check } from '../../../engine/check.js';
import { basicCoreChecks, basicPropertiesChecks } from '../basic.js';
import { batchCoreChecks, batchPropertiesChecks } from '../batch.js';
import { commonChecks } from '../common.js';
import { discoveryChecks } from '../discovery.js';
import { searchCoreChecks, searchPropertiesChecks } from '../search.js';
import { transportChecks } from '../transport.js';

export interface CertLevel {
  id: string;
  title: string;
  /** The level that must pass for this one to be certified (the scenario's prerequisites). */
  requires?: string;
  /** The level's own checks (the common ones are added to every level). */
  checks: readonly Check[];
}

export interface CertProfile {
  name: string;
  title: string;
  /** Checks that belong to every level. */
  common: readonly Check[];
  levels: readonly CertLevel[];
  /** The fixture the embedded reference PE loads for this profile. */
  fixture: string;
}

export const AUTHZEN_CERT: CertProfile = {
  name: 'authzen-cert',
  title: 'AuthZEN Authorization API 1.0 certification (OpenID AuthZEN WG scenario)',
  common: [...commonChecks, ...transportChecks],
  levels: [
    { id: 'basic-core', title: 'Basic Core', checks: basicCoreChecks },
    { id: 'basic-properties', title: 'Basic Properties', checks: basicPropertiesChecks },
    { id: 'batch-core', title: 'Batch Core', requires: 'basic-core', checks: batchCoreChecks },
    { id: 'batch-properties', title: 'Batch Properties', requires: 'basic-properties', checks: batchPropertiesChecks },
    { id: 'search-core', title: 'Search Core', checks: searchCoreChecks },
    { id: 'search-properties', title: 'Search Properties', requires: 'search-core', checks: searchPropertiesChecks },
    { id: 'discovery', title: 'Discovery', checks: discoveryChecks },
  ],
  fixture: 'authzen-cert',
};

/** Every check of the profile, each once: the common ones first, then level by level. */
export const CERT_CHECKS: readonly Check[] = [...AUTHZEN_CERT.common, ...AUTHZEN_CERT.levels.flatMap((l) => l.checks)];
