/** A small unified-style line diff for `--dry-run` (settings files are a few hundred lines at most). */

/** Lines of `before` and `after` as ' ', '-' or '+' entries, by longest common subsequence. */
export function diffLines(before: string[], after: string[]): { op: ' ' | '-' | '+'; line: string }[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: length of the LCS of before[i..] and after[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const below = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) {
      row[j] = before[i] === after[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const out: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ op: ' ', line: before[i] as string });
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      out.push({ op: '+', line: after[j] as string });
      j++;
    } else {
      out.push({ op: '-', line: before[i] as string });
      i++;
    }
  }
  return out;
}

function splitText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * `--- a` / `+++ b` and `@@` hunks with `context` unchanged lines around each change. Removed
 * lines come before added ones within a run, as in `diff -u`. Empty string when equal.
 */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  const entries = diffLines(splitText(before), splitText(after));
  // Reorder each run of changes so the '-' lines come first.
  const ordered: typeof entries = [];
  for (let k = 0; k < entries.length; ) {
    if ((entries[k] as (typeof entries)[number]).op === ' ') {
      ordered.push(entries[k] as (typeof entries)[number]);
      k++;
      continue;
    }
    const run: typeof entries = [];
    while (k < entries.length && (entries[k] as (typeof entries)[number]).op !== ' ') run.push(entries[k++] as (typeof entries)[number]);
    ordered.push(...run.filter((e) => e.op === '-'), ...run.filter((e) => e.op === '+'));
  }
  const changed = ordered.map((e, index) => (e.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';

  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, (changed[k] as number) - context);
    let end = Math.min(ordered.length, (changed[k] as number) + context + 1);
    while (k + 1 < changed.length && (changed[k + 1] as number) - context <= end) {
      k++;
      end = Math.min(ordered.length, (changed[k] as number) + context + 1);
    }
    k++;
    // Line numbers: count old/new lines before the hunk.
    let oldLine = 1;
    let newLine = 1;
    for (const e of ordered.slice(0, start)) {
      if (e.op !== '+') oldLine++;
      if (e.op !== '-') newLine++;
    }
    const hunk = ordered.slice(start, end);
    const oldCount = hunk.filter((e) => e.op !== '+').length;
    const newCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`);
    for (const e of hunk) out.push(`${e.op}${e.line}`);
  }
  return `${out.join('\n')}\n`;
}
