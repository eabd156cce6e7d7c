// Writes the icons under build/icons/ (app icon, tray images per quota level) with plain Node:
// main/app/icon-art.ts draws them (zlib + a tiny PNG encoder + a 3×5 bitmap font), bundled here
// on the fly with esbuild. `node build/make-icons.mjs --check` fails when the committed files
// differ from what the code draws.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(rootDir, 'build', 'icons');

const bundle = await build({
  entryPoints: [path.join(rootDir, 'main', 'app', 'icon-art.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const code = bundle.outputFiles[0]?.text ?? '';
const { iconSet } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

const icons = iconSet();
const check = process.argv.includes('--check');
const stale = [];
for (const { file, png } of icons) {
  const target = path.join(outDir, file);
  if (check) {
    if (!fs.existsSync(target) || !fs.readFileSync(target).equals(png)) stale.push(file);
    continue;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, png);
}
if (check && stale.length > 0) {
  console.error(`build/icons is out of date (${stale.join(', ')}): run node build/make-icons.mjs`);
  process.exit(1);
}
console.log(check ? 'build/icons is up to date' : `wrote ${icons.length} icons to ${path.relative(rootDir, outDir)}`);
