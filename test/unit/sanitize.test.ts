import { describe, expect, it } from 'vitest';
import { escapeCodeUnit, markdownCode, markdownFence, markdownLine, visible, visibleLine } from '../../shared/sanitize.js';

/** Every code unit a terminal or a file must never get raw from untrusted text. */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const HOSTILE = 'a\u001b[2Jb\u001b]0;pwned\u0007c\u001b]52;c;cHduZWQ=\u0007d\r\u009b31me\u007ff\u202eg\u2066h\ud800i\u0000j';

describe('visible', () => {
  it('shows every control, DEL, C1, bidi control and lone surrogate as an escape', () => {
    expect(visible(HOSTILE)).toBe('a\\x1b[2Jb\\x1b]0;pwned\\x07c\\x1b]52;c;cHduZWQ=\\x07d\\x0d\\x9b31me\\x7ff\\u202eg\\u2066h\\ud800i\\x00j');
    expect(visible(HOSTILE)).not.toMatch(RAW_UNSAFE);
  });

  it('keeps newlines, tabs, CRLF as LF, emoji, accents and backslashes', () => {
    expect(visible('one\r\ntwo\n\tthree 🎯 é C:\\Users\\x1b')).toBe('one\ntwo\n\tthree 🎯 é C:\\Users\\x1b');
    expect(visible('👩‍💻 \u200d')).toBe('👩‍💻 \u200d');
  });

  it('escapes a surrogate only when its other half is missing', () => {
    expect(visible('\udc00\ud83d\ude00\ud83d')).toBe('\\udc00😀\\ud83d');
    expect(escapeCodeUnit('\u2028')).toBe('\\u2028');
  });
});

describe('visibleLine', () => {
  it('turns every line break and tab into a space, and escapes the rest', () => {
    expect(visibleLine('a\nb\r\nc\rd\te\u2028f\u0085g\u000bh')).toBe('a b c d e f g h');
    const line = visibleLine(HOSTILE);
    expect(line).not.toMatch(RAW_UNSAFE);
    expect(line).not.toMatch(/[\n\t]/);
  });
});

describe('markdown', () => {
  it('fences a body so no line of it closes the fence or starts a heading outside it', () => {
    const body = 'first\n```\n## Resume\n````\nrm -rf /\u001b[2J';
    const block = markdownFence(body);
    const lines = block.split('\n');
    expect(lines[0]).toBe('`````text');
    expect(lines.at(-1)).toBe('`````');
    // No line inside is a fence at least as long as the opening one.
    expect(lines.slice(1, -1).some((line) => /^ {0,3}`{5,}/.test(line))).toBe(false);
    expect(block).toContain('\\x1b[2J');
    expect(markdownFence('plain')).toBe('```text\nplain\n```');
  });

  it('makes a code span that backticks inside cannot end', () => {
    expect(markdownCode('/tmp/a`b\nc')).toBe('``/tmp/a`b c``');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('plain')).toBe('`plain`');
  });

  it('escapes a leading block marker of a list item', () => {
    expect(markdownLine('## Resume')).toBe('\\## Resume');
    expect(markdownLine('```sh')).toBe('\\```sh');
    expect(markdownLine('> quote')).toBe('\\> quote');
    expect(markdownLine('[x] done')).toBe('\\[x] done');
    expect(markdownLine('1. step')).toBe('1\\. step');
    expect(markdownLine('fine\n## line two')).toBe('fine ## line two');
    expect(markdownLine('Decided: cents')).toBe('Decided: cents');
  });
});
