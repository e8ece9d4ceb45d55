// The contract every harness check implements. A check sees its target only over HTTP
// (ARCHITECTURE.md): the reference PE and a vendor's endpoint look the same to it.
import type { ConformanceClass, PdpMetadata } from '../../schemas/decision.js';
import type { TargetClient } from './http-client.js';
import type { Services } from './services.js';

export type CheckKind = 'structural' | 'property' | 'scenario';
export type Keyword = 'MUST' | 'SHOULD' | 'MAY';

export interface Check {
  /** Stable ID, runnable alone with --only, e.g. "decision/core/missing-member". */
  id: string;
  title: string;
  kind: CheckKind;
  /** The conformance class whose claim makes this check applicable. */
  class: ConformanceClass;
  /** Requirement IDs this check proves; each must exist in spec/. */
  requirements: string[];
  /** Test IDs of an external certification scenario this check implements, e.g. ['c-2-2-1'] (the OpenID AuthZEN certification scenario). */
  scenario?: string[];
  /** MUST checks fail, SHOULD checks warn. */
  keyword: Keyword;
  run(ctx: CheckContext): Promise<CheckOutcome | void>;
}

/** A check may end early with nothing to test (e.g. no search result spans two pages). */
export interface CheckOutcome { notApplicable?: string; cases?: number; note?: string }

export interface Endpoints {
  evaluation: string;
  evaluations: string;
  searchSubject: string;
  searchResource: string;
  searchAction: string;
  discovery: string;
}

export interface CheckContext {
  /** Client bound to the target: authenticated unless told otherwise, recording every exchange. */
  http: TargetClient;
  /** Base URL of the target, without trailing slash. */
  baseUrl: string;
  endpoints: Endpoints;
  /** The discovery document, when the target serves one. */
  metadata: PdpMetadata | undefined;
  /** Classes under test. */
  classes: ReadonlySet<ConformanceClass>;
  seed: number;
  runs: number;
  /** Set by --replay: rerun exactly this fast-check path. */
  replayPath: string | undefined;
  /** The check being run. */
  check: Check;
  /** Counts cases for the report. */
  countCase(): void;
  /** The harness's own servers the run provides (services.ts): a check that needs one it lacks ends with a HarnessError. */
  services: Services;
}
