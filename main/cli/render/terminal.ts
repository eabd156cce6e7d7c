/**
 * Minimal ANSI styling for `cco` output. No dependency: six styles are all the CLI needs, and
 * output piped to a file or another program must stay plain text.
 */

import type { Tone } from '../../../shared/levels.js';

export type StyleFn = (text: string) => string;

export interface Style {
  /** Whether the functions below add escape codes (false: each returns its input unchanged). */
  readonly enabled: boolean;
  readonly bold: StyleFn;
  readonly dim: StyleFn;
  readonly red: StyleFn;
  readonly yellow: StyleFn;
  readonly green: StyleFn;
  readonly cyan: StyleFn;
}

const identity: StyleFn = (text) => text;

// Each style closes with its own reset code (22 for bold/dim, 39 for colours) rather than the
// global reset 0, so styles nest: bold(red(x)) keeps the bold after the red ends.
function sgr(open: number, close: number): StyleFn {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return { enabled, bold: identity, dim: identity, red: identity, yellow: identity, green: identity, cyan: identity };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    yellow: sgr(33, 39),
    green: sgr(32, 39),
    cyan: sgr(36, 39),
  };
}

/** A level's tone in the terminal: the 8-colour palette every terminal has holds no orange, so yellow. */
export function toneStyle(style: Style, tone: Tone): StyleFn {
  return tone === 'orange' ? style.yellow : style[tone];
}

/**
 * Colour decision, in order: FORCE_COLOR (Node's reading: "0"/"false" off, any other value on),
 * then NO_COLOR (https://no-color.org: any non-empty value turns colour off), then TERM=dumb,
 * then whether the stream is a terminal.
 */
export function shouldUseColor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Removes ANSI SGR sequences (for width measurement and tests). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
