// The repeated-member checks pass against the reference PE and are tripped by a PE that
// lets the last repeat win, and by one that points elsewhere.
import { jsonBody, withJson, type Breakage } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { duplicateMemberChecks } from './duplicate-members.js';

/** Parses and re-serializes every request body, as a PE whose JSON parser keeps the last repeat would see it. */
const lastOneWins: Breakage = {
  name: 'keeps the last of repeated member names',
  request: (req) => {
    if (req.method !== 'POST') return req;
    try {
      return { ...req, body: Buffer.from(JSON.stringify(JSON.parse(req.body.toString('utf8')))) };
    } catch {
      return req;
    }
  },
};

const pointsAtTheObject: Breakage = {
  name: 'points at the object holding a repeat rather than at the repeated member',
  response: (res) => {
    const body = jsonBody(res.body) as { pointer?: unknown } | undefined;
    if (res.status !== 400 || typeof body?.pointer !== 'string' || body.pointer === '') return res;
    return withJson(res, { ...body, pointer: body.pointer.replace(/\/[^/]*$/, '') || '/subject' });
  },
};

const TRIPS: Trip[] = [
  { check: 'decision/core/duplicate-member-names', breakage: lastOneWins },
  { check: 'decision/errors/duplicate-member-names', breakage: lastOneWins },
  { check: 'decision/errors/duplicate-member-names', breakage: pointsAtTheObject },
];

describeCheckSuite('repeated member names', duplicateMemberChecks, TRIPS, { classes: ['authzen-core', 'pe-zt'] });
