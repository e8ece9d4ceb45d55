// Test-only: the one suite every family of checks runs (STYLE.md: write a check once, run it
// against many targets). Each check passes against the reference PE, and each is tripped by
// at least one deliberately broken variant of it, with the verdict its keyword gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceClass } from '../../schemas/decision.js';
import type { Verdict } from '../../schemas/src/harness/results.js';
import { startReferencePe } from '../../reference-impl/server.js';
import { createDevPki, type DevPki } from '../../reference-impl/lib/dev-pki.js';
import type { Check } from '../engine/check.js';
import { startBrokenTarget, type Breakage } from './broken-target.js';
import { explain, verdicts } from './run-checks.js';
import { Services } from '../engine/services.js';
import { HARNESS_TRANSMITTER, HarnessTransmitter } from '../signals/transmitter.js';
import { HARNESS_RECEIVER, HarnessReceiver } from '../signals/receiver.js';
import { SIGNALS_TARGET } from '../checks/signals/lib/receiver-context.js';

/** The harness servers of one run of signal checks against a reference PE whose identifier is `audience`. */
export function signalServices(tx: HarnessTransmitter, audience: string): Services {
  return new Services()
    .provide(HARNESS_TRANSMITTER, tx.newRun())
    .provide(SIGNALS_TARGET, { audience })
    .lazy(HARNESS_RECEIVER, () => HarnessReceiver.start(), (r) => r.close());
}

/** A PE broken on purpose, and the check that must catch it. */
export interface Trip {
  check: string;
  /** A breakage that keeps state (say, the tokens it saw) is given as a factory, so that its run starts afresh. */
  breakage: Breakage | (() => Breakage);
  /** Under `https`, put this breakage behind a plain HTTP proxy rather than an HTTPS one. */
  overHttp?: boolean;
}

export interface CheckSuiteOptions {
  /** Generated cases per property (default 25). */
  runs?: number;
  /** The classes under test, named so that a broken discovery document does not change what is tested; by default those the target claims. */
  classes?: ConformanceClass[];
  /** The fixture the reference PE loads (default zt-default). */
  fixture?: string;
  /** The bearer token the reference PE accepts, for breakages that must know it (default: one it generates). */
  token?: string;
  /**
   * Checks that demand HTTPS: the passing run is against the reference PE over HTTPS, and the
   * broken proxies serve HTTPS too (a throwaway dev PKI), except trips marked `overHttp`.
   */
  https?: boolean;
  /**
   * Signal checks: the harness transmitter starts first and the reference PE trusts it; each
   * run gets it, the PE's own identifier as the audience, and a harness receiver.
   */
  signals?: boolean;
}

const PASS_TIMEOUT = 120_000;
const TRIP_TIMEOUT = 60_000;

/** MUST checks fail a PE that breaks their rule, SHOULD (and MAY) checks warn, as the runner grades them. */
const verdictFor = (check: Check): Verdict => (check.keyword === 'MUST' ? 'fail' : 'warn');

const make = (b: Trip['breakage']): Breakage => (typeof b === 'function' ? b() : b);

/**
 * Runs `checks` against the reference PE, started once for the suite (every check must
 * pass), then against a broken proxy in front of it for each of `trips` (the named check
 * must fail, or warn for a SHOULD); and requires every check to be tripped at least once.
 */
export function describeCheckSuite(title: string, checks: readonly Check[], trips: readonly Trip[], opts: CheckSuiteOptions = {}): void {
  describe(title, () => {
    let pe: Awaited<ReturnType<typeof startReferencePe>> | undefined;
    let securePe: { pe: Awaited<ReturnType<typeof startReferencePe>>; dev: DevPki } | undefined;
    let tx: HarnessTransmitter | undefined;
    // Signal suites: one proxy in front of the PE for every run, its breakage switched per trip,
    // whose URL is the PE's issuer, so that metadata, stream URLs, SETs' iss and the aud a
    // receiver expects all name the URL the harness talks to, broken or not.
    let front: { url: string; close(): Promise<void> } | undefined;
    let current: Breakage = { name: 'changes nothing' };
    const switchable: Breakage = {
      name: 'switchable',
      request: (req) => current.request?.(req) ?? req,
      response: (res, req) => current.response?.(res, req) ?? res,
    };
    const reference = () => {
      if (!pe) throw new Error('the reference PE did not start');
      return { url: pe.url, token: pe.tokens[0]! };
    };
    const run = async (url: string, token: string, only?: string, tls?: { ca: string }) => {
      const services = tx && front ? signalServices(tx, front.url) : undefined;
      try {
        return await verdicts(url, checks, { token, runs: opts.runs, classes: opts.classes, ...(only ? { only: [only] } : {}), ...(tls ? { tls } : {}), ...(services ? { services } : {}) });
      } finally {
        await services?.close();
      }
    };
    let peOptions: Parameters<typeof startReferencePe>[0] = { port: 0, ...(opts.fixture ? { fixture: opts.fixture } : {}), ...(opts.token ? { tokens: [opts.token] } : {}) };

    beforeAll(async () => {
      if (opts.signals) {
        tx = await HarnessTransmitter.start();
        front = await startBrokenTarget(() => pe!.url, switchable);
        peOptions = { ...peOptions, transmitters: [tx.issuer], issuer: front.url };
      }
      pe = await startReferencePe(peOptions);
      if (opts.https) {
        const dev = await createDevPki();
        securePe = { pe: await startReferencePe({ ...peOptions, tls: { key: dev.server.key, cert: dev.server.cert } }), dev };
      }
    }, TRIP_TIMEOUT);
    afterAll(async () => { await Promise.all([pe?.close(), securePe?.pe.close(), tx?.close(), front?.close()]); });

    it(`every check passes against the reference PE${opts.https ? ' over HTTPS' : ''}`, async () => {
      const { url, token } = securePe ? { url: securePe.pe.url, token: securePe.pe.tokens[0]! } : front ? { url: front.url, token: reference().token } : reference();
      const results = await run(url, token, undefined, securePe && { ca: securePe.dev.ca });
      for (const check of checks) expect(results.get(check.id)?.verdict, explain(results)).toBe('pass');
    }, PASS_TIMEOUT);

    it('every check is tripped by at least one breakage', () => {
      const tripped = new Set(trips.map((t) => t.check));
      expect(checks.map((c) => c.id).filter((id) => !tripped.has(id))).toEqual([]);
    });

    for (const trip of trips) {
      const check = checks.find((c) => c.id === trip.check);
      it(`${trip.check} catches a PE that ${make(trip.breakage).name}`, async () => {
        if (!check) throw new Error(`${trip.check} is not one of the checks of "${title}"`);
        const { url, token } = reference();
        const secure = securePe && !trip.overHttp ? securePe.dev : undefined;
        if (front) {
          current = make(trip.breakage);
          try {
            const results = await run(front.url, token, check.id);
            expect(results.get(check.id)?.verdict, explain(results, [check.id])).toBe(verdictFor(check));
          } finally {
            current = { name: 'changes nothing' };
          }
          return;
        }
        const broken = await startBrokenTarget(url, make(trip.breakage), secure ? { tls: secure.server } : {});
        try {
          const results = await run(broken.url, token, check.id, secure && { ca: secure.ca });
          expect(results.get(check.id)?.verdict, explain(results, [check.id])).toBe(verdictFor(check));
        } finally {
          await broken.close();
        }
      }, TRIP_TIMEOUT);
    }
  });
}
