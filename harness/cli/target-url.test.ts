// A target URL with credentials is refused before any request, and the refusal does not
// repeat the password: it points at the ways zti takes credentials instead.
import { describe, expect, it } from 'vitest';
import { testCommand } from './test-command.js';
import { vectorsReplayCommand } from './vectors-command.js';
import { UsageError } from './usage-error.js';

const quiet = () => {};

describe('credentials in a target URL', () => {
  it.each(['http://user:s3cret-pw@127.0.0.1:9/', 'http://s3cret-pw@127.0.0.1:9', 'https://:s3cret-pw@pdp.example/base'])('zti test refuses --target %s without printing the password', async (target) => {
    const err = await testCommand({ target }, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).not.toContain('s3cret-pw');
    expect(message).toContain('ZTI_AUTH_HEADER');
    expect(message).toContain('***@');
  });

  it('zti vectors replay refuses one too', async () => {
    const err = await vectorsReplayCommand([], { target: 'http://u:s3cret-pw@127.0.0.1:9' }, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('s3cret-pw');
  });
});
