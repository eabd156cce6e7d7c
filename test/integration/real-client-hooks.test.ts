/**
 * `cco hook` fed the payloads Claude Code 2.1.332 sends (claude-code-facts.md §4), through the real
 * CLI: a failed tool call fires PostToolUseFailure (not PostToolUse) and must still count in the
 * session monitor; only UserPromptSubmit with source "user" is a person's prompt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { toolEstimate } from '../../main/core/quota.js';
import { runCco, tempRoot } from '../helpers/cli.js';

const SESSION = '5f0c7a2e-9d41-4b8e-a3c6-2e7f1b9d4c80';

function hook(root: string, payload: Record<string, unknown>): void {
  const result = runCco(['hook', '--config-dir', root], {
    input: JSON.stringify({ session_id: SESSION, transcript_path: path.join(root, 'projects', 'p', `${SESSION}.jsonl`), cwd: '/work/app', ...payload }),
  });
  expect(result).toMatchObject({ code: 0, stdout: '' });
}

describe('cco hook with the real client\'s events', () => {
  it('records a failed tool call (PostToolUseFailure) and counts it in the session monitor; tells prompts by source', () => {
    const root = tempRoot();
    hook(root, { hook_event_name: 'SessionStart', source: 'startup', model: 'claude-opus-5-5' });
    hook(root, { hook_event_name: 'UserPromptSubmit', prompt: 'run the tests', source: 'user' });
    hook(root, { hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: '/work/app/a.ts' }, tool_response: { content: 'x' } });
    hook(root, { hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: 'toolu_01', error: 'Exit code 1', is_interrupt: false });
    hook(root, { hook_event_name: 'UserPromptSubmit', prompt: 'wake up', source: 'loop_wakeup' });

    const lines = fs.readFileSync(path.join(root, 'logs', 'sessions.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.type)).toEqual(['session_start', 'prompt', 'tool_call', 'tool_call', 'automated_prompt']);
    expect(lines[3]).toMatchObject({ tool_name: 'Bash', failed: true, estimated_tokens: toolEstimate('Bash') });
    expect(fs.existsSync(path.join(root, 'logs', 'cco-hook-errors.log'))).toBe(false);

    const status = runCco(['status', '--json', '--config-dir', root]);
    expect(status.code).toBe(0);
    const snapshot = JSON.parse(status.stdout) as Snapshot;
    const session = snapshot.sessions.find((s) => s.sessionId === SESSION);
    expect(session?.toolCalls).toBe(2);
    expect(session?.tokens).toMatchObject({ source: 'estimate', counted: toolEstimate('Read') + toolEstimate('Bash') });
  });
});
