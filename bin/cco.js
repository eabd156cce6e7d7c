#!/usr/bin/env node
// Thin launcher, CommonJS (bin/package.json): it loads without Node's ES module loader, and the
// CLI is one CommonJS bundle (dist/bundle/, built by `npm install`'s prepare or `npm run build`).
// Start-up matters: `cco hook` and `cco statusline` run after every event and message in the
// user's Claude Code session, and load a small bundle of their own.
'use strict';

const inSession = process.argv[2] === 'hook' || process.argv[2] === 'statusline';
const { main } = require(inSession ? '../dist/bundle/in-session.cjs' : '../dist/bundle/cco.cjs');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`cco: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
