// Every numeric option of cco, given a number out of range as a person types it (`--limit -5`,
// not `--limit=-5`): one line that names the option and the accepted range, exit code 2, and
// nothing written.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCco, tempRoot } from '../helpers/cli.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const LIMIT = 'must be a whole number of tokens from 1 to 100,000,000; got';
const HOURS_NOW = '--hours must be from 1 to 5 hours (like 3, 1.5 or 90m); got';

describe('numeric options out of range', () => {
  it.each([
    [['status', '--limit', '-5'], `--limit ${LIMIT} -5`],
    [['status', '--limit', '0'], `--limit ${LIMIT} 0`],
    [['status', '--limit', '200000000'], `--limit ${LIMIT} 200000000`],
    [['next', '--limit', '-5', '--hours', '2'], `--limit ${LIMIT} -5`],
    [['next', '--hours', '-2'], `${HOURS_NOW} -2`],
    [['next', '--hours', '7'], `${HOURS_NOW} 7`],
    [['next', '7'], 'the hours must be from 1 to 5 hours (like 3, 1.5 or 90m); got 7'],
    [['queue', 'add', '--name', 'X', '--tokens', '-5', '--hours', '1'], '--tokens must be a whole number of tokens from 1 to 10,000,000 (like 65000, 65k or 1.5M); got -5'],
    [['queue', 'add', '--name', 'X', '--tokens', '5k', '--hours', '-1'], '--hours must be from 5 minutes to 24 hours (like 3, 1.5, 90m or 2h30m); got -1'],
    [['config', 'set', 'customLimit', '-5'], `customLimit ${LIMIT} -5`],
  ])('cco %j', (args, message) => {
    const root = tempRoot('cco-numeric-');
    cleanup.push(root);
    const project = path.join(root, 'project');
    fs.mkdirSync(project);
    const before = fs.readdirSync(root).sort();
    const result = runCco([...args, '--config-dir', root, ...(args[1] === 'add' ? ['--project', project] : [])]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).not.toContain('ambiguous');
    expect(fs.readdirSync(root).sort()).toEqual(before);
  });
});
