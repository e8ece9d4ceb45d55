import { Type, type Static } from '@sinclair/typebox';
import { CONFORMANCE_CLASSES } from '../decision/discovery.js';
import { meta } from '../ids.js';

const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const envVar = (description: string) => Type.String({ pattern: ENV_NAME, description: `${description} The name of an environment variable, never the secret itself.` });

export const ZtiConfigBearerAuth = Type.Object({
  type: Type.Literal('bearer'),
  token_env: envVar('Holds the bearer token sent as "Authorization: Bearer <token>".'),
}, { additionalProperties: false, title: 'ZtiConfigBearerAuth' });

export const ZtiConfigHeaderAuth = Type.Object({
  type: Type.Literal('header'),
  name: Type.String({ pattern: '^[A-Za-z0-9-]+$', description: 'The header name, e.g. "X-Api-Key".' }),
  value_env: envVar('Holds the header value.'),
}, { additionalProperties: false, title: 'ZtiConfigHeaderAuth' });

export const ZtiConfigOAuthAuth = Type.Object({
  type: Type.Literal('oauth_client_credentials'),
  token_url: Type.String({ format: 'uri', pattern: '^https?://', description: 'The token endpoint (RFC 6749 Section 4.4); the client authenticates with HTTP Basic (client_secret_basic).' }),
  client_id: Type.String({ minLength: 1 }),
  client_secret_env: envVar('Holds the client secret.'),
  scope: Type.Optional(Type.String({ minLength: 1, description: 'Space-separated scopes to ask for.' })),
}, { additionalProperties: false, title: 'ZtiConfigOAuthAuth' });

export const ZtiConfigMtlsAuth = Type.Object({
  type: Type.Literal('mtls'),
  cert_file: Type.String({ minLength: 1, description: 'PEM client certificate (chain) presented to the target for mTLS (RFC 8705), relative to this file.' }),
  key_file: Type.String({ minLength: 1, description: 'PEM private key of cert_file, relative to this file. Keep the key file itself out of version control.' }),
  key_passphrase_env: Type.Optional(envVar('Holds the passphrase of an encrypted key_file.')),
}, { additionalProperties: false, title: 'ZtiConfigMtlsAuth' });

const Auth = (description: string) => Type.Union([ZtiConfigBearerAuth, ZtiConfigHeaderAuth, ZtiConfigOAuthAuth, ZtiConfigMtlsAuth], { title: 'ZtiConfigAuthMethod', description });
const CaFile = (description: string) => Type.String({ minLength: 1, description: `${description} A PEM file of the CA certificates that verify the target's server certificate (instead of the system's CAs), relative to this file.` });

export const ZtiConfigClassTarget = Type.Object({
  target: Type.String({ format: 'uri', pattern: '^https?://', description: 'Base URL of the endpoint that serves this class.' }),
  auth: Type.Optional(Auth('How the harness authenticates to this target. Without it, the top-level auth is used when this target has the origin of the top-level target, and none otherwise.')),
  ca_file: Type.Optional(CaFile('Without it, the top-level ca_file.')),
}, { additionalProperties: false, title: 'ZtiConfigClassTarget' });

const VocabularyEntity = Type.Object({
  type: Type.String({ minLength: 1 }),
  id: Type.String({ minLength: 1 }),
  properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { additionalProperties: false, title: 'ZtiConfigVocabularyEntity' });

export const ZtiConfigVocabulary = Type.Object({
  subjects: Type.Optional(Type.Array(VocabularyEntity, { description: 'Subjects your policy knows, e.g. {"type": "user", "id": "alice"}.' })),
  resources: Type.Optional(Type.Array(VocabularyEntity, { description: 'Resources your policy knows.' })),
  actions: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Action names your policy decides on.' })),
  requests: Type.Optional(Type.Array(Type.Object({
    subject: VocabularyEntity,
    action: Type.Object({ name: Type.String({ minLength: 1 }), properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false }),
    resource: VocabularyEntity,
    context: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }, { additionalProperties: false }), { description: 'Whole evaluation requests your policy permits: the generators build on them (and on variants that differ in one member) so that batches mix permits and denies.' })),
}, {
  additionalProperties: false, title: 'ZtiConfigVocabulary',
  description: 'The names of your policy, for the policy-agnostic properties: without them generated requests seldom hit a permit, and a property that only ever sees one decision cannot show a merge or ordering fault (it warns).',
});

export const ZtiConfig = Type.Object({
  zti_config: Type.Literal('1.0'),
  target: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', description: 'Base URL of the endpoint under test (as --target).' })),
  classes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Conformance classes to test (as --classes).' })),
  runs: Type.Optional(Type.Integer({ minimum: 1, description: 'Generated cases per property (as --runs).' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, description: 'Seed for generated requests (as --seed).' })),
  strict: Type.Optional(Type.Boolean({ description: 'SHOULD failures fail the run (as --strict).' })),
  fixture: Type.Optional(Type.String({ minLength: 1, description: 'The fixture the target has loaded (as --fixture).' })),
  expected_failures: Type.Optional(Type.String({ minLength: 1, description: 'Baseline file, relative to this file (as --expected-failures).' })),
  auth: Type.Optional(Auth('How the harness authenticates to the target. Secrets are named by environment variable only.')),
  ca_file: Type.Optional(CaFile('Custom CA of the target (as --ca).')),
  vocabulary: Type.Optional(ZtiConfigVocabulary),
  targets: Type.Optional(Type.Record(
    Type.String({ pattern: `^(${CONFORMANCE_CLASSES.join('|')})$` }), ZtiConfigClassTarget,
    { additionalProperties: false, description: `A target of its own for some conformance classes, keyed by class name (${CONFORMANCE_CLASSES.join(', ')}); a class without an entry is tested at the top-level target.` },
  )),
}, {
  additionalProperties: false,
  ...meta('harness', 'config', 'ZtiConfig',
    'A zti test configuration file (zti.config.json or zti.config.jsonc in the working directory, or --config FILE). Command-line flags override the environment (ZTI_TOKEN, ZTI_AUTH_HEADER), which overrides the file.',
    [
      { zti_config: '1.0', target: 'https://pdp.example.com', classes: ['authzen-core', 'authzen-batch'], runs: 50, auth: { type: 'oauth_client_credentials', token_url: 'https://idp.example.com/oauth2/token', client_id: 'zti', client_secret_env: 'ZTI_CLIENT_SECRET', scope: 'authzen' } },
      { zti_config: '1.0', target: 'https://pdp.internal.example:8443', ca_file: 'pki/ca.pem', auth: { type: 'mtls', cert_file: 'pki/zti.pem', key_file: 'pki/zti-key.pem', key_passphrase_env: 'ZTI_KEY_PASSPHRASE' },
        targets: { 'authzen-search': { target: 'https://search.internal.example:8443' } } },
    ]),
});
export type ZtiConfig = Static<typeof ZtiConfig>;
export type ZtiConfigAuth = NonNullable<ZtiConfig['auth']>;
export type ZtiConfigClassTarget = Static<typeof ZtiConfigClassTarget>;
export type ZtiConfigVocabulary = Static<typeof ZtiConfigVocabulary>;
