#!/usr/bin/env node
// Thin launcher. The CLI is bundled into one CommonJS file (dist/bundle/cco.cjs) by `npm install`
// (prepare) or `npm run build`: one synchronous load starts faster than an ES module graph, and
// `cco hook` / `cco statusline` run after every event in the user's Claude Code session.
import { createRequire } from 'node:module';

const { main } = createRequire(import.meta.url)('../dist/bundle/cco.cjs');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`cco: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
