/**
 * The CLI's bundles (build/bundle-cli.mjs) make each imported module's ES copy once: esbuild's
 * `__toESM` builds a fresh copy (a getter per export) at every default or namespace import of a
 * CommonJS module, ~40 of node:fs and node:path at every hook and status line. Checked on a real
 * esbuild bundle of two modules importing node:path, run in this process.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

type CopyModulesOnce = (source: string, file: string) => string;

async function copyModulesOnce(): Promise<CopyModulesOnce> {
  const script = pathToFileURL(path.join(REPO, 'build', 'bundle-cli.mjs')).href;
  return ((await import(script)) as { copyModulesOnce: CopyModulesOnce }).copyModulesOnce;
}

/** A two-module bundle, as the CLI's are built: does each module get the same copy of node:path? */
async function bundleOfTwo(patch: CopyModulesOnce | null): Promise<{ same: boolean; join: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-bundle-cli-'));
  fs.writeFileSync(path.join(dir, 'a.ts'), "import * as p from 'node:path';\nexport const a = p;\n");
  fs.writeFileSync(path.join(dir, 'b.ts'), "import p from 'node:path';\nimport * as q from 'node:path';\nexport const b = q;\nexport const join = p.join('x', 'y');\n");
  fs.writeFileSync(path.join(dir, 'entry.ts'), "import { a } from './a';\nimport { b, join } from './b';\nexport const same = a === b;\nexport { join };\n");
  const result = await build({ entryPoints: [path.join(dir, 'entry.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', write: false, logLevel: 'warning' });
  const text = result.outputFiles[0]?.text ?? '';
  const file = path.join(dir, 'out.cjs');
  fs.writeFileSync(file, patch ? patch(text, 'out.cjs') : text);
  const loaded = createRequire(import.meta.url)(file) as { same: boolean; join: string };
  fs.rmSync(dir, { recursive: true, force: true });
  return loaded;
}

describe('the CLI bundles copy each imported module once', () => {
  it('esbuild alone makes a copy per import; patched, the modules share one, and they still work', async () => {
    expect((await bundleOfTwo(null)).same).toBe(false);
    const patched = await bundleOfTwo(await copyModulesOnce());
    expect(patched.same).toBe(true);
    expect(patched.join).toBe(path.join('x', 'y'));
  });

  it('the built bundles carry it, and a bundle whose helpers changed shape fails the build', async () => {
    for (const name of ['cco.cjs', 'in-session.cjs', 'status-entry.cjs']) {
      expect(fs.readFileSync(path.join(REPO, 'dist', 'bundle', name), 'utf8')).toContain('__toESMCopies');
    }
    const patch = await copyModulesOnce();
    expect(patch('module.exports = 1;', 'plain.cjs')).toBe('module.exports = 1;');
    expect(() => patch('var __toESM = (mod) => mod;\n', 'odd.cjs')).toThrow('odd.cjs: esbuild\'s helpers changed');
  });
});
