/** Small text helpers for the context analysis: prompt recognition, trimming, path display. */
import path from 'node:path';

/** Characters per token for estimates (the usual rule of thumb for English and code). */
export const CHARS_PER_TOKEN = 4;

/**
 * Tokens one image block costs, counted instead of its base64 length (which says nothing about
 * tokens): Anthropic's formula is width × height / 750, about 1,600 for a full-size image.
 */
export const IMAGE_TOKENS = 1_600;
export const IMAGE_CHARS = IMAGE_TOKENS * CHARS_PER_TOKEN;

/** Built-in slash commands whose invocation is not a request about the work. */
const HOUSEKEEPING_COMMANDS = new Set([
  '/compact', '/clear', '/context', '/cost', '/model', '/status', '/help', '/exit', '/quit', '/resume', '/config',
  '/memory', '/login', '/logout', '/doctor', '/permissions', '/hooks', '/mcp', '/agents', '/usage', '/statusline',
  '/vim', '/theme', '/terminal-setup', '/ide', '/export', '/rewind', '/add-dir', '/bashes', '/privacy-settings',
]);

function tagContent(text: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
  return match ? (match[1] ?? '').trim() : null;
}

/**
 * The request a user prompt carries, or null when the text is Claude Code's own wrapping (command
 * output, caveats, interruptions) or a housekeeping slash command. A slash command with arguments
 * becomes "/name args".
 */
export function promptRequest(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.startsWith('<local-command-') || trimmed.startsWith('Caveat: ') || trimmed.startsWith('[Request interrupted')) return null;
  if (trimmed.includes('<command-name>')) {
    const name = tagContent(trimmed, 'command-name') ?? '';
    if (HOUSEKEEPING_COMMANDS.has(name)) return null;
    const args = tagContent(trimmed, 'command-args') ?? '';
    const request = `${name} ${args}`.trim();
    return request.length > 0 ? request : null;
  }
  if (trimmed.startsWith('<system-reminder>') || trimmed.startsWith('<bash-') || trimmed.startsWith('<user-memory-input>')) return null;
  return trimmed;
}

/** Fenced code blocks' share of an assistant text (counted as code generated). */
export function fencedCodeChars(text: string): number {
  if (!text.includes('```')) return 0;
  let total = 0;
  for (const match of text.matchAll(/```[\s\S]*?```/g)) total += match[0].length;
  return total;
}

/** One line, at most `max` characters, cut on a word boundary with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/```[\s\S]*?```/g, ' [code] ').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  // Never cut between the two halves of a surrogate pair (an emoji): half of one cannot be encoded.
  const end = /[\ud800-\udbff]/.test(flat.charAt(max - 2)) ? max - 2 : max - 1;
  const cut = flat.slice(0, end);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** `file` relative to `cwd` when inside it, else as written. */
export function displayPath(file: string, cwd: string | null): string {
  if (!cwd || !path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** A word list: "a, b and 3 more". */
export function listNames(names: readonly string[], max: number): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Quote for a POSIX shell when needed. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
