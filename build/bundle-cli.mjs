// Bundles the CLI with esbuild into dist/bundle/ (CommonJS, loaded from a V8 code cache by
// bin/load-bundle.js), one bundle per entry:
//   main/cli/cco.ts          -> cco.cjs           (every command)
//   main/cli/in-session.ts   -> in-session.cjs    (`cco hook`, `cco statusline`: run inside Claude Code)
//   main/cli/status-entry.ts -> status-entry.cjs  (`cco status`, what people and panels run most)
// Used by `npm run bundle` (and so `npm run build`, `npm install`'s prepare).
//
// One change to esbuild's output: its `__toESM` helper builds a fresh copy of a module's exports
// (a getter per property) every time a bundled module imports a CommonJS one by default or
// namespace, so the ~40 modules importing node:fs and node:path made ~40 copies of ~100 getters
// at every start: 2-4 ms of each hook, status line and `cco status` (measured side by side). The
// copies are interchangeable (each getter reads the same module), so they are made once per module.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(rootDir, 'dist', 'bundle');

/** esbuild's helper definition that the copy-once wrapper follows (its next helper). */
const AFTER_TO_ESM = 'var __toCommonJS = ';
const COPY_ONCE = `var __toESMCopies = /* @__PURE__ */ new WeakMap();
var __toESMFresh = __toESM;
__toESM = (mod, isNodeMode) => {
  if (mod == null || typeof mod !== "object" && typeof mod !== "function") return __toESMFresh(mod, isNodeMode);
  let copies = __toESMCopies.get(mod);
  if (!copies) __toESMCopies.set(mod, copies = []);
  return copies[isNodeMode ? 1 : 0] ??= __toESMFresh(mod, isNodeMode);
};
`;

/** The bundle's text with `__toESM` copying each module once; throws if esbuild's helpers changed shape. */
export function copyModulesOnce(source, file) {
  if (!source.includes('var __toESM = ')) return source;
  if (source.split(AFTER_TO_ESM).length !== 2) throw new Error(`${file}: esbuild's helpers changed (no single "${AFTER_TO_ESM.trim()}"): update build/bundle-cli.mjs`);
  return source.replace(AFTER_TO_ESM, `${COPY_ONCE}${AFTER_TO_ESM}`);
}

export async function bundleCli() {
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: rootDir,
    entryPoints: ['main/cli/cco.ts', 'main/cli/in-session.ts', 'main/cli/status-entry.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.cjs' },
    define: { 'import.meta.url': '__cco_module_url' },
    banner: { js: "const __cco_module_url = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    write: false,
  });
  fs.mkdirSync(outdir, { recursive: true });
  for (const output of result.outputFiles) fs.writeFileSync(output.path, copyModulesOnce(output.text, path.relative(rootDir, output.path)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleCli();
}
