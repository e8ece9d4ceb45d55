// Text from a target, rendered so that a terminal or log shows it and obeys none of it. A
// response body, header or error message holding ESC sequences could otherwise clear the
// screen, move the cursor and print "all checks PASS" over the failures, or retitle the
// terminal (issue 10, R9). Every C0 and C1 control and DEL is shown: C0 and DEL as Unicode
// control pictures, as the HTML report does (␛ for ESC), C1 controls and the bidirectional
// overrides (which reorder what a reader sees, CVE-2021-42574) as ⟨U+XXXX⟩.

// eslint-disable-next-line no-control-regex
const ALL = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const BUT_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const picture = (c: string): string => {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
};

/**
 * `s` with every control character visible. With `lines`, LF and TAB are kept (multi-line
 * messages the harness composes); CR never is, since it returns the cursor over a line.
 */
export function visible(s: string, opts: { lines?: boolean } = {}): string {
  return s.replace(opts.lines ? BUT_LINES : ALL, picture);
}
