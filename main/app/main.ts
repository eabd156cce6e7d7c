/**
 * The Electron entry point (bundled to dist/app/main.mjs by build/build-app.mjs). The page and the
 * preload are found next to the bundle, the same in a checkout and inside the packaged app.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './app.js';

const here = path.dirname(fileURLToPath(import.meta.url));

startApp({
  page: path.join(here, '..', '..', 'renderer', 'index.html'),
  preload: path.join(here, 'preload.cjs'),
  packageJson: path.join(here, '..', '..', 'package.json'),
}).catch((error: unknown) => {
  console.error(`cco app: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
