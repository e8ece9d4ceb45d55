// How this zti was started, so that every printed command runs verbatim where it was
// printed (issue 14 §7): `npx zt-interop …` when run through npx, `npm run zti -- …` from
// the package's script, the binary's own name otherwise.
import * as path from 'node:path';

export function invokedAs(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): string {
  // npm exec (npx) puts the command it ran in npm_lifecycle_script: "zti" or "zt-interop".
  // Only when what npm ran is zti itself (not, say, npx vitest running zti's tests).
  const script = env.npm_lifecycle_script ?? '';
  if (env.npm_command === 'exec' && /^(zti|zt-interop)(@[A-Za-z0-9.+-]+)?$/.test(script)) return `npx ${script}`;
  if (env.npm_command === 'run-script' && /(^|[\s/])harness\/bin\/zti\.js\b/.test(script) && /^[A-Za-z0-9:._-]+$/.test(env.npm_lifecycle_event ?? '')) return `npm run ${env.npm_lifecycle_event} --`;
  const bin = path.basename(argv[1] ?? 'zti').replace(/\.(js|ts)$/, '');
  return /^(zti|zt-interop)$/.test(bin) ? bin : 'zti';
}

/** A shell word for a path or value: quoted when it holds anything but safe characters. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
