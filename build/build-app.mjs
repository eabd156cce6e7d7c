// Bundles the Electron main process and the popover's preload with esbuild:
//   main/app/main.ts    -> dist/app/main.mjs    (ESM; every dependency inlined, electron external)
//   main/app/preload.ts -> dist/app/preload.cjs (CommonJS: a sandboxed preload cannot be an ES module)
// Used by `npm start` (main/app/start.mjs) and `npm run dist`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultOutdir = path.join(rootDir, 'dist', 'app');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: rootDir,
};

/** `outdir` must sit two levels below the project (dist/<name>): main.mjs finds renderer/ from there. */
export async function buildApp(outdir = defaultOutdir) {
  await Promise.all([
    build({
      ...common,
      entryPoints: ['main/app/main.ts'],
      outfile: path.join(outdir, 'main.mjs'),
      format: 'esm',
      // CommonJS dependencies inlined into an ES module still call require() for Node built-ins.
      banner: { js: "import { createRequire as __ccoCreateRequire } from 'node:module'; const require = __ccoCreateRequire(import.meta.url);" },
    }),
    build({
      ...common,
      entryPoints: ['main/app/preload.ts'],
      outfile: path.join(outdir, 'preload.cjs'),
      format: 'cjs',
      // Sandboxed preloads run in the renderer: no Node built-ins, only `electron`.
      platform: 'browser',
    }),
  ]);
  return { main: path.join(outdir, 'main.mjs'), preload: path.join(outdir, 'preload.cjs') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outdir');
  const out = await buildApp(at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : defaultOutdir);
  console.log(`built ${path.relative(rootDir, out.main)} and ${path.relative(rootDir, out.preload)}`);
}
