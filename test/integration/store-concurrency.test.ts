// Two real processes doing locked read-modify-writes on one JSON file: none may be lost.
// The children run the compiled store (dist/), which `npm test` builds first; when run on its
// own, this test builds it if dist is missing or older than the source.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { ensureCompiled, runNodeChild } from '../helpers/compiled-child.js';

const child = path.join(REPO, 'test/integration/helpers/store-increment-child.mjs');

function runChild(file: string, id: string, count: number, startAt: number): Promise<{ code: number | null; stderr: string }> {
  return runNodeChild(child, [file, id, String(count), String(startAt)]);
}

describe('store under real concurrency', () => {
  let dir = '';

  beforeAll(() => ensureCompiled('main/core/store.ts', 'dist/main/core/store.js'));

  afterEach(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps all 400 increments from two processes, with no duplicates and no leftovers', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-store-race-'));
    const file = path.join(dir, 'state', 'queue.json');
    const startAt = Date.now() + 400;
    const results = await Promise.all([runChild(file, 'a', 200, startAt), runChild(file, 'b', 200, startAt)]);
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });

    const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
    expect(entries).toHaveLength(400);
    expect(new Set(entries).size).toBe(400);
    for (const id of ['a', 'b']) {
      const mine = entries.filter((entry) => entry.startsWith(`${id}-`));
      // Each process's own entries stay in its order: no write was based on a stale read.
      expect(mine).toEqual(Array.from({ length: 200 }, (_, i) => `${id}-${i}`));
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(['queue.json']);
  });
});
