#!/usr/bin/env node
// Thin launcher. The CLI is bundled into one CommonJS file (dist/bundle/cco.cjs) by `npm install`
// (prepare) or `npm run build`: one synchronous load starts faster than an ES module graph, and
// `cco hook` / `cco statusline` run after every event in the user's Claude Code session.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// `cco hook` and `cco statusline` run inside the user's Claude Code session after every event and
// message: they load a small bundle of their own instead of the whole CLI.
const inSession = process.argv[2] === 'hook' || process.argv[2] === 'statusline';
const { main } = require(inSession ? '../dist/bundle/in-session.cjs' : '../dist/bundle/cco.cjs');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`cco: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
