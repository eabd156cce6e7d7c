import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  UnsafePathError,
  ccoCommand,
  cliPrefix,
  findCcoBin,
  isCcoCommand,
  quoteShellWord,
  splitShellWords,
  toShellPath,
} from '../../main/integration/shell.js';
import { CCO_BIN } from '../helpers/cli.js';

const NASTY = ['/plain/path', '/with space/and  two', '/q"uote', "/single'quote", '/dollar$HOME', '/back\\slash', '/ünï/cødé', '/semi;colon&amp|pipe', '/glob*?[x]', ''];

describe('quoteShellWord', () => {
  it.each(NASTY)('round-trips %j through our splitter', (value) => {
    expect(splitShellWords(`x ${quoteShellWord(value, 'linux')} y`)).toEqual(['x', value, 'y']);
  });

  it('gives the same words to a real POSIX shell', () => {
    const words = NASTY.filter((value) => value !== '');
    const script = `for w in ${words.map((w) => quoteShellWord(w, 'linux')).join(' ')}; do printf '%s\\0' "$w"; done`;
    const result = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
  });

  it('writes Windows paths with forward slashes (Git Bash eats backslashes)', () => {
    expect(toShellPath('C:\\Program Files\\nodejs\\node.exe', 'win32')).toBe('C:/Program Files/nodejs/node.exe');
    expect(quoteShellWord('C:\\Users\\Dana Smith\\.claude', 'win32')).toBe('"C:/Users/Dana Smith/.claude"');
    expect(toShellPath('/a\\b', 'darwin')).toBe('/a\\b');
  });

  it('refuses backquotes and newlines, which would break a slash command line', () => {
    expect(() => quoteShellWord('/a`b', 'linux')).toThrow(UnsafePathError);
    expect(() => quoteShellWord('/a\nb', 'linux')).toThrow(UnsafePathError);
  });
});

describe('splitShellWords', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ["'x y' \"z w\"", ['x y', 'z w']],
    ['a\\ b', ['a b']],
    ['"a\\"b" \'c\\d\'', ['a"b', 'c\\d']],
    ['pre"mid"\'post\'', ['premidpost']],
    ['""', ['']],
    ['', []],
  ])('%j → %j', (command, words) => {
    expect(splitShellWords(command)).toEqual(words);
  });

  it('returns null for an unterminated quote', () => {
    expect(splitShellWords('"abc')).toBeNull();
    expect(splitShellWords("'abc")).toBeNull();
  });
});

describe('our commands', () => {
  const target = { nodePath: '/usr/bin/node', ccoBin: '/opt/my apps/cco/bin/cco.js', root: '/home/dana/.claude', platform: 'linux' as const };

  it('is "<node>" "<bin/cco.js>" <subcommand> --config-dir "<root>"', () => {
    expect(cliPrefix(target)).toBe('"/usr/bin/node" "/opt/my apps/cco/bin/cco.js"');
    expect(ccoCommand(target, 'hook')).toBe('"/usr/bin/node" "/opt/my apps/cco/bin/cco.js" hook --config-dir "/home/dana/.claude"');
    expect(splitShellWords(ccoCommand(target, 'hook'))).toEqual(['/usr/bin/node', '/opt/my apps/cco/bin/cco.js', 'hook', '--config-dir', '/home/dana/.claude']);
  });

  it.each([
    [ccoCommand(target, 'hook'), 'hook', true],
    [ccoCommand({ ...target, platform: 'win32', ccoBin: 'C:\\cco\\bin\\cco.js' }, 'hook'), 'hook', true],
    ['node /somewhere/else/bin/cco.js hook', 'hook', true],
    ['node C:\\cco\\bin\\cco.js hook', 'hook', false], // unquoted backslashes are escapes
    [ccoCommand(target, 'statusline'), 'hook', false],
    [ccoCommand(target, 'statusline'), 'statusline', true],
    ['cco hook', 'hook', false],
    ['node my-cco.js hook', 'hook', false],
    ['echo "cco.js hook"', 'hook', false],
    ['"/usr/bin/node" "/x/cco.js', 'hook', false],
    [42, 'hook', false],
  ])('recognises %j as our %s: %s', (command, subcommand, ours) => {
    expect(isCcoCommand(command, subcommand)).toBe(ours);
  });

  it('finds this package\'s bin/cco.js', () => {
    expect(findCcoBin()).toBe(CCO_BIN);
  });
});
