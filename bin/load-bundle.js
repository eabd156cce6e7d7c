// Loads one of the CLI's CommonJS bundles (dist/bundle/*.cjs) with a V8 code cache, so a `cco`
// process does not compile the same 100-400 KB of JavaScript on every start (about 5 ms of a
// 90 ms `cco status`; `cco hook` and `cco statusline` run after every event of a Claude Code
// session). The cache lives beside the bundle, in dist/bundle/.v8-cache/, and is named after the
// bundle's size, times and inode and Node's version and architecture: V8 itself checks its own
// version and flags, but only the source's length, so a rebuilt bundle of the same length must
// never meet the old cache. `npm run bundle` deletes dist/bundle/, caches included.
//
// Everything here is best effort: a missing, unwritable or corrupt cache falls back to a plain
// compile, and no error of the cache ever reaches the command.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

/** Where a bundle's code cache is kept (a folder beside the bundle). */
function cacheDirOf(bundleFile) {
  return path.join(path.dirname(bundleFile), '.v8-cache');
}

/**
 * The cache file for exactly this build of the bundle, on exactly this Node. The inode change time
 * is in the name because no program can set it back: a bundle rewritten in place with the same
 * length, and its mtime restored, still gets a cache of its own.
 */
function cacheFileOf(bundleFile, stat, cacheDir) {
  const id = [path.basename(bundleFile), stat.size, stat.mtimeNs, stat.ctimeNs, stat.ino, process.version, process.arch].join('-');
  return path.join(cacheDir, `${id}.bin`);
}

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` to `file` atomically (temporary name, then rename), and removes older caches of
 * the same bundle. Returns false when it could not (read-only install, say): that only costs
 * speed.
 */
function writeCache(file, data, bundleName) {
  const dir = path.dirname(file);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean
    }
    return false;
  }
  const prefix = `${bundleName}-`;
  try {
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(file)) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // stale caches only cost disk space
  }
  return true;
}

/**
 * Loads `bundleFile` as a CommonJS module and returns its exports with what happened to the cache:
 * `hit` (compiled from the cache), `miss` (none yet), `rejected` (V8 refused it: another V8, other
 * flags, or a damaged file) or `off` (`cacheDir: null`, or the bundle changed while it was read).
 * `save()` writes a new cache after a miss or a rejection; call it once the command has run, so
 * that the functions it compiled lazily are in the cache too. `save()` never throws; loading
 * throws only the bundle's own errors (missing, or failing as it runs).
 */
function loadBundle(bundleFile, opts = {}) {
  const file = path.resolve(bundleFile);
  // Stat and read through one descriptor, and stat again after: a bundle rebuilt while it was read
  // is run, but never cached under a name that does not match what was read.
  const fd = fs.openSync(file, 'r');
  let source;
  let stable;
  let stat;
  try {
    stat = fs.fstatSync(fd, { bigint: true });
    source = fs.readFileSync(fd, 'utf8');
    const after = fs.fstatSync(fd, { bigint: true });
    stable = after.ctimeNs === stat.ctimeNs && after.size === stat.size;
  } finally {
    fs.closeSync(fd);
  }
  const cacheDir = !stable ? null : opts.cacheDir === undefined ? cacheDirOf(file) : opts.cacheDir;
  const cacheFile = cacheDir === null ? null : cacheFileOf(file, stat, cacheDir);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // The same wrapper Node gives a CommonJS file.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cache = cacheFile === null ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  let saved = false;
  const save = () => {
    if (saved || cacheFile === null || cache === 'hit') return false;
    saved = true;
    try {
      return writeCache(cacheFile, script.createCachedData(), path.basename(file));
    } catch {
      return false;
    }
  };
  return { exports: mod.exports, cache, cacheFile, save };
}

module.exports = { loadBundle, cacheDirOf };
