// Hooks run in parallel: several real processes appending to logs/sessions.jsonl while it is
// rotated under them lose no line and tear none. The children run the compiled module (dist/),
// which `npm test` builds first; run alone, this test builds it when dist is older than the source.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { ensureCompiled, runNodeChild } from '../helpers/compiled-child.js';

const child = path.join(REPO, 'test/integration/helpers/session-log-rotate-child.mjs');

function runChild(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return runNodeChild(child, args);
}

describe('session log rotation under concurrent hooks', () => {
  let root = '';

  beforeAll(() => ensureCompiled('main/core/sources/session-log.ts', 'dist/main/core/sources/session-log.js'));

  afterEach(() => {
    if (root !== '') fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps every line of four processes whole, across many rotations', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-log-race-'));
    const ids = ['a', 'b', 'c', 'd'];
    const count = 150;
    // ~2 KB lines and a 32 KB limit: dozens of rotations while all four write. Enough kept files
    // that none is dropped, so every line can be accounted for.
    const keep = 1000;
    const startAt = Date.now() + 400;
    const results = await Promise.all(ids.map((id) => runChild([root, id, String(count), String(startAt), String(32 * 1024), String(keep)])));
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });

    const logs = path.join(root, 'logs');
    const names = fs.readdirSync(logs);
    expect(names.filter((name) => !/^sessions(\.\d+)?\.jsonl$/.test(name))).toEqual([]);
    const rotated = names.filter((name) => /^sessions\.\d+\.jsonl$/.test(name));
    expect(rotated.length).toBeGreaterThan(5);
    const lines = names.flatMap((name) => fs.readFileSync(path.join(logs, name), 'utf8').split('\n').filter((line) => line !== ''));
    const seen = new Map<string, number[]>();
    for (const line of lines) {
      const event = JSON.parse(line) as { session_id: string; file_path: string };
      const n = Number(/file-(\d+)\.ts$/.exec(event.file_path)?.[1]);
      seen.set(event.session_id, [...(seen.get(event.session_id) ?? []), n]);
    }
    for (const id of ids) expect((seen.get(`session-${id}`) ?? []).sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});
