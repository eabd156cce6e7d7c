#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm install` (prepare) or `npm run build`.
import { main } from '../dist/bundle/cco.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`cco: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
