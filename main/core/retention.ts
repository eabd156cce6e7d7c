/**
 * Folders of files we write again and again (handoffs, corrupt state files moved aside) stay
 * bounded: one rule, the newest `keep` files of ours stay and the rest go; optionally, past
 * `keepRecent`, files older than `maxAgeMs` go too. Only names `ours` accepts are ever touched,
 * only regular files (never a link or a folder), and it never throws: a file that cannot be
 * removed is left for the next time.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RetentionRule {
  /** Which names in the folder are ours to prune. */
  ours: (name: string) => boolean;
  /** At most this many stay (the newest). */
  keep: number;
  /** Files older than this go too... */
  maxAgeMs?: number;
  /** ...except the newest this many, whatever their age (default 0). */
  keepRecent?: number;
}

/** Applies `rule` to `dir`; returns the files removed. */
export function pruneFiles(dir: string, rule: RetentionRule, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const files: { file: string; mtimeMs: number }[] = [];
  for (const name of names) {
    if (!rule.ours(name)) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.lstatSync(file);
      if (stat.isFile()) files.push({ file, mtimeMs: stat.mtimeMs });
    } catch {
      // Gone meanwhile.
    }
  }
  // Newest first; equal times by name, so the order (and what goes) is stable.
  files.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? 1 : a.file > b.file ? -1 : 0));
  const removed: string[] = [];
  files.forEach(({ file, mtimeMs }, index) => {
    const tooMany = index >= rule.keep;
    const tooOld = rule.maxAgeMs !== undefined && index >= (rule.keepRecent ?? 0) && now - mtimeMs > rule.maxAgeMs;
    if (!tooMany && !tooOld) return;
    try {
      fs.rmSync(file);
      removed.push(file);
    } catch {
      // Not ours to remove after all (permissions), or gone: left as it is.
    }
  });
  return removed;
}
