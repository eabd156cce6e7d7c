/**
 * The command strings we register with Claude Code, and how to read them back.
 *
 * Claude Code runs hook and status-line commands through a shell: `sh -c` on macOS and Linux, and
 * on Windows Git Bash (PowerShell only when Git Bash is missing; see anthropics/claude-code#21878
 * and #93356 for what unquoted or backslashed paths do there). So every path is written in POSIX
 * double quotes, and on Windows with forward slashes, which node and Windows both accept and
 * which Git Bash does not eat as escapes. A PowerShell-only machine would need `& "node" ...`;
 * we do not support that setup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the CLI lives and which config root it serves: everything a registered command needs. */
export interface CliTarget {
  /** Absolute path of the node binary (process.execPath). */
  nodePath: string;
  /** Absolute path of this package's bin/cco.js. */
  ccoBin: string;
  /** Absolute config root passed as --config-dir. */
  root: string;
  /** Defaults to process.platform; a parameter so the Windows branch is tested everywhere. */
  platform?: NodeJS.Platform;
}

export class UnsafePathError extends Error {}

/** Windows paths with forward slashes: Git Bash treats `\` as an escape, node accepts `/`. */
export function toShellPath(value: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? value.replace(/\\/g, '/') : value;
}

/**
 * One word in POSIX double quotes: `\`, `"`, `$` and backquote are escaped, everything else is
 * literal. Backquotes and newlines are refused outright: a slash command's `` !`...` `` ends at
 * the first backquote, and a newline would end the frontmatter line.
 */
export function quoteShellWord(value: string, platform: NodeJS.Platform = process.platform): string {
  if (/[`\n\r]/.test(value)) throw new UnsafePathError(`cannot register a path containing a backquote or a newline: ${JSON.stringify(value)}`);
  return `"${toShellPath(value, platform).replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** `"<node>" "<bin/cco.js>"`: the exact prefix every command we register starts with. */
export function cliPrefix(target: CliTarget): string {
  const platform = target.platform ?? process.platform;
  return `${quoteShellWord(target.nodePath, platform)} ${quoteShellWord(target.ccoBin, platform)}`;
}

/** `"<node>" "<bin/cco.js>" <subcommand> --config-dir "<root>"` */
export function ccoCommand(target: CliTarget, subcommand: string): string {
  return `${cliPrefix(target)} ${subcommand} --config-dir ${quoteShellWord(target.root, target.platform ?? process.platform)}`;
}

/**
 * Split a command line into words the way a POSIX shell would for the quoting we produce (and the
 * usual hand-written forms): single quotes, double quotes with `\` escapes, backslash outside
 * quotes, blanks between words. Returns null for an unterminated quote. No expansions: `$X` stays
 * literal, which is what recognising our own commands needs.
 */
export function splitShellWords(command: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return null;
      word += command.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      let closed = false;
      for (i++; i < command.length; i++) {
        const d = command[i] as string;
        if (d === '"') {
          closed = true;
          break;
        }
        const next = command[i + 1];
        if (d === '\\' && next !== undefined && '\\"$`\n'.includes(next)) {
          if (next !== '\n') word += next;
          i++;
        } else {
          word += d;
        }
      }
      if (!closed) return null;
    } else if (c === '\\') {
      const next = command[i + 1];
      if (next === undefined) return null;
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i++;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * True when `command` runs some copy of our CLI's `subcommand` (`<anything> <dir>/cco.js
 * <subcommand> ...`), whatever node, install location or config root it names: that is what
 * makes install idempotent after a move and lets uninstall find only our entries.
 */
export function isCcoCommand(command: unknown, subcommand: string): boolean {
  if (typeof command !== 'string') return false;
  const words = splitShellWords(command);
  if (words === null || words.length < 3) return false;
  return /(^|[\\/])cco\.js$/.test(words[1] as string) && words[2] === subcommand;
}

/**
 * This package's `bin/cco.js`, found by walking up from this module: the same answer from the
 * TypeScript sources (vitest) and from dist/ (the installed CLI).
 */
export function findCcoBin(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'cco.js');
    if (fs.existsSync(bin) && fs.existsSync(path.join(dir, 'package.json'))) return bin;
    if (path.dirname(dir) === dir) throw new Error(`cannot find bin/cco.js above ${from}; is the package installed completely?`);
  }
}
