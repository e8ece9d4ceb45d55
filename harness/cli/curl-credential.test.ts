// The curl line of a failure names the credential's source, never the credential.
import { describe, expect, it } from 'vitest';
import { REDACTED, toCurl, type Exchange } from '../engine/http-client.js';
import type { LoadedConfig } from './config.js';
import { curlAuth } from './curl-credential.js';

const exchange = (header = 'authorization'): Exchange => ({
  request: { method: 'POST', url: 'https://pdp.example.com/access/v1/evaluation', headers: { 'content-type': 'application/json', [header]: REDACTED }, body: '{}' },
  ms: 1,
});
const config = (auth: NonNullable<LoadedConfig['config']['auth']>, extra: Partial<LoadedConfig['config']> = {}): LoadedConfig =>
  ({ file: '/etc/zti/zti.config.json', config: { zti_config: '1.0', target: 'https://pdp.example.com', auth, ...extra } }) as LoadedConfig;

describe('curlAuth', () => {
  it('follows the harness precedence: flag or $ZTI_AUTH_HEADER, then $ZTI_TOKEN, then the file', () => {
    const file = config({ type: 'bearer', token_env: 'PDP_TOKEN' });
    expect(curlAuth({ authHeaderFlag: 'X: y' }, file, {}).header).toBe('"$ZTI_AUTH_HEADER"');
    expect(curlAuth({}, file, { ZTI_TOKEN: 't' }).header).toBe('"authorization: Bearer $ZTI_TOKEN"');
    expect(curlAuth({}, file, {}).header).toBe('"authorization: Bearer $PDP_TOKEN"');
  });

  it('names a custom header by its variable', () => {
    const line = toCurl(exchange('x-api-key'), undefined, curlAuth({}, config({ type: 'header', name: 'X-Api-Key', value_env: 'PDP_KEY' }), {}));
    expect(line).toContain('-H "X-Api-Key: $PDP_KEY"');
  });

  it('fetches an OAuth token the way zti did, with the secret from its variable', () => {
    const line = toCurl(exchange(), undefined, curlAuth({}, config({ type: 'oauth_client_credentials', token_url: 'https://idp.example.com/token', client_id: 'zti', client_secret_env: 'ZTI_SECRET', scope: 'authzen read' }), {}));
    expect(line).toContain(`curl -sS -u 'zti':"$ZTI_SECRET" -d grant_type=client_credentials --data-urlencode 'scope=authzen read' 'https://idp.example.com/token'`);
    expect(line).toContain('.access_token');
  });

  it('passes the client certificate, key, passphrase variable and CA of mTLS, resolved against the config file', () => {
    const a = curlAuth({}, config({ type: 'mtls', cert_file: 'certs/client.pem', key_file: 'certs/client.key', key_passphrase_env: 'KEY_PASS' }, { ca_file: 'certs/ca.pem' }), {});
    expect(a.header).toBeUndefined();
    const line = toCurl({ ...exchange(), request: { ...exchange().request, headers: { 'content-type': 'application/json' } } }, undefined, a);
    expect(line).toMatch(/^curl -sS -i --cert '\/etc\/zti\/certs\/client\.pem' --key '\/etc\/zti\/certs\/client\.key' --pass "\$KEY_PASS" --cacert '\/etc\/zti\/certs\/ca\.pem' -X POST/);
  });

  it('keeps the default lines without any source', () => {
    expect(toCurl(exchange(), undefined, curlAuth({}, undefined, {}))).toContain('-H "authorization: Bearer $ZTI_TOKEN"');
  });
});
