// The configuration file: precedence, JSONC, errors that name file, pointer and fix, and
// OAuth client credentials against a token server and the reference PE on 127.0.0.1.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { clientCredentials, findConfig, loadConfig } from './config.js';
import { stripJsonc } from './jsonc.js';
import { resolveTestAuth, testCommand } from './test-command.js';
import { UsageError } from '../base/usage-error.js';
import { withEnv } from '../test-support/env.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-config-'));
const quiet = () => {};
const ISSUED = 'issued-by-the-token-server-0123456789';
const SECRET = 's3cret:with/odd chars';
const ONE_CHECK = ['decision/zt/request-id-echo'];

interface TokenRequest { authorization?: string | undefined; contentType?: string | undefined; body: string }
let pe: RunningPe;
let tokenServer: http.Server;
let tokenUrl: string;
const tokenRequests: TokenRequest[] = [];
let expiresIn = 3600;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0, logger: false, tokens: [ISSUED] });
  tokenServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      tokenRequests.push({ authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      const expected = `Basic ${Buffer.from(`zti-client:${encodeURIComponent(SECRET).replace(/%20/g, '+')}`).toString('base64')}`;
      res.setHeader('content-type', 'application/json');
      if (req.method !== 'POST' || req.headers.authorization !== expected) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: 'invalid_client' }));
        return;
      }
      res.end(JSON.stringify({ access_token: ISSUED, token_type: 'Bearer', expires_in: expiresIn }));
    });
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/oauth2/token`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
  await pe.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeConfig(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

describe('stripJsonc', () => {
  it('blanks comments and trailing commas but not "//" or "/*" inside strings, keeping positions', () => {
    const text = '{\n  // a comment\n  "url": "http://x//y", /* block\n comment */ "s": "a /* b */ \\" // c",\n  "list": [1, 2,],\n}\n';
    const stripped = stripJsonc(text);
    expect(stripped.length).toBe(text.length);
    expect(stripped.split('\n').length).toBe(text.split('\n').length);
    expect(JSON.parse(stripped)).toEqual({ url: 'http://x//y', s: 'a /* b */ " // c', list: [1, 2] });
  });
});

describe('zti test --config', () => {
  it('reads zti.config.jsonc with comments and trailing commas', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'cwd-'));
    fs.writeFileSync(path.join(dir, 'zti.config.jsonc'), '{\n  // the staging PDP\n  "zti_config": "1.0",\n  "target": "https://pdp.example.com/", /* trailing slash */\n  "classes": ["authzen-core",],\n}\n');
    const file = findConfig(dir);
    expect(file).toBe(path.join(dir, 'zti.config.jsonc'));
    expect(loadConfig(file!).config).toEqual({ zti_config: '1.0', target: 'https://pdp.example.com/', classes: ['authzen-core'] });
  });

  it('refuses a bad file naming the file, the JSON pointer and the fix', async () => {
    const file = writeConfig('bad.json', { zti_config: '1.0', runs: 0 });
    await expect(testCommand({ config: file }, quiet)).rejects.toThrow(UsageError);
    await expect(testCommand({ config: file }, quiet)).rejects.toThrow(new RegExp(`${file.replace(/[/\\.]/g, '\\$&')}.*/runs.*>= 1`, 's'));
    const syntax = writeConfig('syntax.json', '{\n  "zti_config": "1.0",\n}\n');
    await expect(testCommand({ config: syntax }, quiet)).rejects.toThrow(/syntax\.json.*line 3.*comments need the \.jsonc name/s);
  });

  it('refuses a literal secret member: the file names environment variables only', async () => {
    const file = writeConfig('literal.json', { zti_config: '1.0', target: pe.url, auth: { type: 'bearer', token: ISSUED } });
    await expect(testCommand({ config: file }, quiet)).rejects.toThrow(/literal\.json: \/auth\/token: .*refuses.*environment variable.*\/auth\/token_env/s);
    // Next to its _env member too, and whatever else the schema does not know is refused by the schema.
    const both = writeConfig('literal-both.json', { zti_config: '1.0', auth: { type: 'header', name: 'X-Api-Key', value_env: 'K', value: 'abc' } });
    await expect(testCommand({ config: both }, quiet)).rejects.toThrow(/\/auth\/value: .*refuses/);
    const extra = writeConfig('extra.json', { zti_config: '1.0', auth: { type: 'bearer', token_env: 'K', bearer: 'abc' } });
    await expect(testCommand({ config: extra }, quiet)).rejects.toThrow(/\/auth\/bearer is not a member the schema allows.*remove "bearer"/s);
  });

  it('names an environment variable the file names but that is not set', async () => {
    const file = writeConfig('unset.json', { zti_config: '1.0', target: pe.url, auth: { type: 'bearer', token_env: 'ZTI_TEST_UNSET_TOKEN' } });
    await withEnv({ ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined, ZTI_TEST_UNSET_TOKEN: undefined }, async () => {
      await expect(testCommand({ config: file }, quiet)).rejects.toThrow(/unset\.json: \/auth\/token_env names the environment variable ZTI_TEST_UNSET_TOKEN, which is not set/);
    });
  });

  it('takes flags over the environment over the file', async () => {
    const file = writeConfig('precedence.json', { zti_config: '1.0', target: pe.url, runs: 3, seed: 7, auth: { type: 'bearer', token_env: 'ZTI_TEST_FILE_TOKEN' } });
    const loaded = loadConfig(file);
    await withEnv({ ZTI_TEST_FILE_TOKEN: 'from-file', ZTI_TOKEN: 'from-env', ZTI_AUTH_HEADER: undefined }, async () => {
      expect(await resolveTestAuth(undefined, loaded)).toEqual(['authorization', 'Bearer from-env']);
      expect(await resolveTestAuth('Authorization: Bearer from-flag', loaded)).toEqual(['authorization', 'Bearer from-flag']);
    });
    await withEnv({ ZTI_TEST_FILE_TOKEN: 'from-file', ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, async () => {
      expect(await resolveTestAuth(undefined, loaded)).toEqual(['authorization', 'Bearer from-file']);
    });
    // End to end: the file's token is wrong, the environment's is right, the flag's is wrong again.
    const json = path.join(tmp, 'precedence-results.json');
    await withEnv({ ZTI_TEST_FILE_TOKEN: 'wrong', ZTI_TOKEN: ISSUED, ZTI_AUTH_HEADER: undefined }, async () => {
      expect(await testCommand({ config: file, only: ONE_CHECK, runs: '2', json }, quiet)).toBe(0);
      const r = JSON.parse(fs.readFileSync(json, 'utf8')) as ResultsFile;
      expect([r.runs, r.seed, r.target.url]).toEqual([2, '7', pe.url]);
      // The flag's wrong token is what the target sees: it refuses it before any check runs.
      await expect(testCommand({ config: file, only: ONE_CHECK, authHeader: 'Authorization: Bearer wrong' }, quiet)).rejects.toThrow(/answered 401 to the credentials/);
    });
    await withEnv({ ZTI_TEST_FILE_TOKEN: ISSUED, ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, async () => {
      expect(await testCommand({ config: file, only: ONE_CHECK, json }, quiet)).toBe(0);
      expect((JSON.parse(fs.readFileSync(json, 'utf8')) as ResultsFile).runs).toBe(3);
    });
  });
});

describe('OAuth client credentials', () => {
  const oauthConfig = (secretEnv: string) => writeConfig(`oauth-${secretEnv}.json`, {
    zti_config: '1.0', target: pe.url, runs: 2,
    auth: { type: 'oauth_client_credentials', token_url: tokenUrl, client_id: 'zti-client', client_secret_env: secretEnv, scope: 'authzen decide' },
  });

  it('fetches a token with client_secret_basic and passes the run against a PE that accepts it', async () => {
    tokenRequests.length = 0;
    const file = oauthConfig('ZTI_TEST_CLIENT_SECRET');
    await withEnv({ ZTI_TEST_CLIENT_SECRET: SECRET, ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, async () => {
      let out = '';
      const code = await testCommand({ config: file }, (s) => { out += s; });
      expect(code, out).toBe(0);
    });
    // One token, cached for the whole run.
    expect(tokenRequests).toHaveLength(1);
    const [seen] = tokenRequests;
    expect(seen!.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(seen!.body))).toEqual({ grant_type: 'client_credentials', scope: 'authzen decide' });
    expect(seen!.authorization).toBe(`Basic ${Buffer.from('zti-client:s3cret%3Awith%2Fodd+chars').toString('base64')}`);
  });

  it('stops with a usage error naming the token URL and the status when the secret is wrong', async () => {
    const file = oauthConfig('ZTI_TEST_WRONG_SECRET');
    await withEnv({ ZTI_TEST_WRONG_SECRET: 'not-the-secret', ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, async () => {
      const run = testCommand({ config: file }, quiet);
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(`the token endpoint ${tokenUrl} answered 401 (error "invalid_client")`);
    });
  });

  it('caches the token until shortly before it expires, then fetches a new one', async () => {
    tokenRequests.length = 0;
    expiresIn = 60;
    let now = 1_000_000;
    const token = clientCredentials({ tokenUrl, clientId: 'zti-client', clientSecret: SECRET, now: () => now });
    try {
      expect(await Promise.all([token(), token()])).toEqual([ISSUED, ISSUED]);
      expect(tokenRequests).toHaveLength(1);
      now += 29_000;
      await token();
      expect(tokenRequests).toHaveLength(1);
      now += 2_000; // 31 s of 60: within the 30 s margin
      await token();
      expect(tokenRequests).toHaveLength(2);
    } finally {
      expiresIn = 3600;
    }
  });
});
