/**
 * bin/load-bundle.js: the CLI's bundles are compiled from a V8 code cache kept beside them. The
 * cache must be used when it fits, never for another build of the bundle, and never break a
 * command when it is missing, damaged or cannot be written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LOADER = createRequire(import.meta.url).resolve('../../bin/load-bundle.js');
const { cacheDirOf } = createRequire(import.meta.url)(LOADER) as { cacheDirOf: (file: string) => string };

interface Outcome {
  cache: 'hit' | 'miss' | 'rejected' | 'off';
  cacheFile: string | null;
  answer: string;
  loadedFrom: string;
  builtin: string;
  saved: boolean;
}

/**
 * Loads the bundle in a fresh Node process, as `cco` does: within one process V8 answers a second
 * compile of the same source from its own in-memory cache and never looks at the file's.
 */
function load(bundleFile: string, opts: { cacheDir?: string | null } = {}): Outcome {
  const script = `
    const { loadBundle } = require(${JSON.stringify(LOADER)});
    const loaded = loadBundle(${JSON.stringify(bundleFile)}, ${JSON.stringify(opts)});
    const { answer, loadedFrom, builtin } = loaded.exports;
    const saved = loaded.save();
    process.stdout.write(JSON.stringify({ cache: loaded.cache, cacheFile: loaded.cacheFile, answer: answer(), loadedFrom, builtin, saved }));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr.trim().split('\n').find((line) => /Error/.test(line)) ?? result.stderr);
  return JSON.parse(result.stdout) as Outcome;
}

/** A CommonJS bundle like esbuild's: exports, a builtin require, __filename. Same length for any one-letter `tag`. */
function bundleSource(tag: string): string {
  return [
    "'use strict';",
    "const path = require('node:path');",
    `function answer() { return 'answer-${tag}'; }`,
    'module.exports = { answer, loadedFrom: __filename, builtin: path.basename(__dirname) };',
    '',
  ].join('\n');
}

let dir: string;
let bundle: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-load-bundle-'));
  bundle = path.join(dir, 'bundle', 'demo.cjs');
  fs.mkdirSync(path.dirname(bundle));
  fs.writeFileSync(bundle, bundleSource('a'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadBundle', () => {
  it('compiles without a cache the first time, writes one after the run, and compiles from it next time', () => {
    const first = load(bundle);
    expect(first).toMatchObject({ cache: 'miss', answer: 'answer-a', loadedFrom: bundle, builtin: 'bundle', saved: true });
    expect(first.cacheFile?.startsWith(cacheDirOf(bundle))).toBe(true);
    expect(fs.statSync(first.cacheFile as string).size).toBeGreaterThan(0);

    // Compiled from the cache; nothing to write after a hit.
    expect(load(bundle)).toMatchObject({ cache: 'hit', answer: 'answer-a', cacheFile: first.cacheFile, saved: false });
  });

  it('never uses the cache of another build, even one of the same length with its mtime put back', () => {
    const first = load(bundle);
    const { atime, mtime } = fs.statSync(bundle);
    fs.writeFileSync(bundle, bundleSource('b'));
    fs.utimesSync(bundle, atime, mtime);
    expect(fs.statSync(bundle).size).toBe(bundleSource('a').length);

    const rebuilt = load(bundle);
    expect(rebuilt).toMatchObject({ cache: 'miss', answer: 'answer-b', saved: true });
    expect(rebuilt.cacheFile).not.toBe(first.cacheFile);
    // Saving the new build's cache removed the old build's.
    expect(fs.readdirSync(cacheDirOf(bundle))).toEqual([path.basename(rebuilt.cacheFile as string)]);
    expect(load(bundle)).toMatchObject({ cache: 'hit', answer: 'answer-b' });
  });

  it('lets V8 reject a damaged cache, and replaces it', () => {
    const first = load(bundle);
    fs.writeFileSync(first.cacheFile as string, Buffer.from('not a V8 code cache at all, just some bytes'));

    expect(load(bundle)).toMatchObject({ cache: 'rejected', answer: 'answer-a', saved: true });
    expect(load(bundle)).toMatchObject({ cache: 'hit', answer: 'answer-a' });
  });

  it('still loads when the cache cannot be written, and leaves no temporary file', () => {
    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, 'a file where the cache folder would go');
    expect(load(bundle, { cacheDir: path.join(blocked, 'cache') })).toMatchObject({ cache: 'miss', answer: 'answer-a', saved: false });
    expect(fs.readdirSync(dir).sort()).toEqual(['a-file', 'bundle']);
  });

  it('can be told not to cache at all', () => {
    expect(load(bundle, { cacheDir: null })).toMatchObject({ cache: 'off', cacheFile: null, answer: 'answer-a', saved: false });
    expect(fs.existsSync(cacheDirOf(bundle))).toBe(false);
  });

  it("throws the bundle's own errors (a missing bundle is not a cache problem)", () => {
    expect(() => load(path.join(dir, 'bundle', 'missing.cjs'))).toThrow(/ENOENT/);
    fs.writeFileSync(bundle, "throw new Error('broken build');\n");
    expect(() => load(bundle)).toThrow('broken build');
  });
});
