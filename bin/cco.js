#!/usr/bin/env node
// Thin launcher, CommonJS (bin/package.json): it loads without Node's ES module loader, and the
// CLI is one CommonJS bundle (dist/bundle/, built by `npm install`'s prepare or `npm run build`),
// compiled from a V8 code cache when there is one (bin/load-bundle.js).
// Start-up matters: `cco hook` and `cco statusline` run after every event and message in the
// user's Claude Code session, and load a small bundle of their own; `cco status` (what people and
// panels run most) loads its own too, about half the whole CLI.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { loadBundle } = require('./load-bundle.js');

const command = process.argv[2];
const bundleName = command === 'hook' || command === 'statusline' ? 'in-session.cjs' : command === undefined || command === 'status' ? 'status-entry.cjs' : 'cco.cjs';
const bundle = loadBundle(path.join(__dirname, '..', 'dist', 'bundle', bundleName));

// Output is written synchronously (main/cli/io.ts), so once main has settled there is nothing
// left to flush: exit at once instead of waiting for Node to tear the heap down (5-10 ms).
bundle.exports.main(process.argv.slice(2)).then(
  (code) => {
    bundle.save();
    process.exit(code);
  },
  (error) => {
    try {
      fs.writeSync(2, `cco: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      process.exit(1);
    }
  },
);
