import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { ExchangeRole, RecordedRequest, RecordedResponse } from './results.js';

// `zti test --transcript FILE` writes NDJSON: one TranscriptEntry per HTTP exchange, in the
// order exchanges finish. Per check, `seq` and the requests are the same for the same seed.
export const TranscriptEntry = Type.Object({
  zti_transcript: Type.Literal('1.0'),
  check: Type.String({ description: 'The check that sent the request, or that a request to a server of the harness was for; a run-wide harness server names itself here for requests no one check caused (e.g. "harness/transmitter" for a receiver fetching the JWKS).' }),
  case: Type.Integer({ minimum: 0, description: 'The case of that check (1-based; 0 for requests sent before the first case, e.g. set-up).' }),
  seq: Type.Integer({ minimum: 1, description: 'Position of the exchange among those of its check.' }),
  role: Type.Optional(ExchangeRole),
  request: RecordedRequest,
  response: Type.Optional(RecordedResponse),
  error: Type.Optional(Type.String({ description: 'Why no response came (timeout, reset).' })),
  ms: Type.Number({ minimum: 0 }),
}, {
  additionalProperties: false,
  ...meta('harness', 'transcript', 'TranscriptEntry', 'One line of a zti test --transcript file (NDJSON): an HTTP exchange of one case of one check.',
    [{ zti_transcript: '1.0', check: 'decision/core/missing-member', case: 1, seq: 1, request: { method: 'POST', url: 'http://127.0.0.1:8080/access/v1/evaluation', headers: { 'content-type': 'application/json', authorization: '[credential redacted]' }, body: '{"action":{"name":"read"}}' }, response: { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_request"}' }, ms: 1.2 },
     { zti_transcript: '1.0', check: 'harness/transmitter', case: 0, seq: 1, role: 'server', request: { method: 'GET', url: 'http://127.0.0.1:8455/jwks.json', headers: { accept: 'application/json' } }, response: { status: 200, headers: { 'content-type': 'application/jwk-set+json' }, body: '{"keys":[]}' }, ms: 0.4 }]),
});
export type TranscriptEntry = Static<typeof TranscriptEntry>;
