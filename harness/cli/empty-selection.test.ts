// issue 14 §1: an empty selection is never a pass: a glob that matches no check stops zti
// naming the nearest ids, and a run that would execute no check stops with why (exit 2).
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { testCommand } from './test-command.js';

const quiet = () => {};

describe('an empty selection', () => {
  it('a glob that matches no check is a usage error naming the nearest ids', async () => {
    await expect(testCommand({ only: ['decision/nope/*'] }, quiet)).rejects.toThrow(/--only 'decision\/nope\/\*' matches no check of this run; the nearest are decision\/\S+, decision\/\S+, decision\/\S+/);
    await expect(testCommand({ skip: ['decision/core/unknown-member-ignored'] }, quiet)).rejects.toThrow(/nearest are decision\/core\/unknown-members-ignored/);
  });

  it('a selection of checks of classes not under test stops the run, saying which classes would make it run', async () => {
    await expect(testCommand({ only: ['decision/batch/*'], classes: 'authzen-core' }, quiet))
      .rejects.toThrow(/no check would run: the \d+ selected checks are of authzen-batch, pe-zt, which are not under test; classes under test: authzen-core \(from --classes\)\. Add --classes authzen-batch,pe-zt/);
  });

  it('exits 2 from the command line', async () => {
    const before = process.exitCode;
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { errors.push(s); return true; }) as typeof process.stderr.write;
    try {
      await main(['node', 'zti', 'test', '--only', 'decision/nope/*']);
      expect(process.exitCode).toBe(2);
      expect(errors.join('')).toContain('matches no check');
    } finally {
      process.stderr.write = write;
      process.exitCode = before;
    }
  });
});
