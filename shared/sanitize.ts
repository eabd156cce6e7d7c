/**
 * The one rule for untrusted text on its way to a terminal or a file (design.md, "Conventions").
 * Untrusted: anything from transcripts (cwd, prompts, todos, file paths, git branch, model names,
 * session ids), hook and status-line stdin, queue names and objectives, imported plans.
 *
 * Such text may carry escape sequences (CSI `ESC[2J` clears the screen, OSC 0 sets the window
 * title, OSC 52 writes the clipboard), BEL, carriage returns that overwrite what was printed,
 * C1 controls that some terminals obey (`\x9b` is a CSI on its own), bidi overrides that make text
 * read differently from what it is (Trojan Source, CVE-2021-42574), and lone surrogates that
 * cannot be encoded. Each is shown as a visible escape (`\x1b`, `\u202e`), never passed on as
 * itself. Backslashes are left alone: `\x1b` typed as four characters looks the same as an escaped
 * ESC, which is harmless and keeps Windows paths readable.
 *
 * Call these once per untrusted field where the text leaves (a renderer, a file writer), before
 * adding our own colours: the colour codes we add are never passed through them. Pure, no Node:
 * the CLI, core and the app all use it. `--json` output needs none of this (JSON.stringify escapes
 * every control character).
 */

// C0 except TAB and LF, DEL, C1, the bidi embeddings, overrides, isolates and marks, the Unicode
// line and paragraph separators, and surrogates without their other half. No `u` flag: the
// surrogate alternatives work on UTF-16 code units.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Everything that ends or breaks a line, and TAB (which would break a table cell).
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /\r\n|[\t\n\u000b\u000c\r\u0085\u2028\u2029]/g;

/** The escape shown in place of an unsafe character: `\x1b` below U+0100, else `\u202e`. */
export function escapeCodeUnit(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Multi-line text made safe: newlines (CRLF becomes LF) and tabs stay, every other control, the
 * bidi controls and lone surrogates become visible escapes.
 */
export function visible(text: string): string {
  return text.replace(UNSAFE, (match) => (match === '\r\n' ? '\n' : escapeCodeUnit(match)));
}

/**
 * One line made safe, for places that must stay on one line (the `/compact` line, table cells,
 * list items, an .ics SUMMARY): line breaks and tabs become a space, the rest as {@link visible}.
 */
export function visibleLine(text: string): string {
  return visible(text.replace(LINE_BREAKS, ' '));
}

function longestRun(text: string, char: '`'): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Untrusted multi-line text in a Markdown file: a fenced code block one backtick longer than the
 * longest run of backticks inside, so no line of the text can close it, and nothing in it (a
 * `## ` line, a list, an HTML comment) is read as structure (CommonMark §4.5).
 */
export function markdownFence(text: string, info = 'text'): string {
  const body = visible(text).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Untrusted one-line text as a Markdown code span (a path, a branch), delimited so no backtick in it ends the span. */
export function markdownCode(text: string): string {
  const body = visibleLine(text);
  const ticks = '`'.repeat(longestRun(body, '`') + 1);
  // CommonMark strips one space from each side when both are there: pad so what is shown is the text.
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/**
 * Untrusted one-line text after a list marker (`- <text>`): one line, and a leading character that
 * would start a block of its own (`#` heading, `>` quote, a fence, a nested list or checkbox, a
 * table row, HTML) is backslash-escaped, so the item stays plain text (CommonMark §2.4).
 */
export function markdownLine(text: string): string {
  return visibleLine(text)
    .trim()
    .replace(/^(\d{1,9})([.)])/, '$1\\$2')
    .replace(/^[#>`~=+*|[<-]/, (char) => `\\${char}`);
}
