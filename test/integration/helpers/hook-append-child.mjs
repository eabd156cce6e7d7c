// Child process for hook-statusline.test.ts: appends COUNT hook events to ROOT's session log,
// in-process (runHook with a fresh stdin stream each time), starting at START_AT_EPOCH_MS so
// that all siblings write at once. Needs the build (dist/).
// usage: node hook-append-child.mjs ROOT ID COUNT START_AT_EPOCH_MS
import { Readable } from 'node:stream';
import { runHook } from '../../../dist/main/cli/hook.js';
import { sleepSync } from '../../../dist/main/core/store.js';

const [root, id, countText, startAtText] = process.argv.slice(2);
const count = Number(countText);
const io = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), env: process.env, stdoutStream: process.stdout };
sleepSync(Math.max(0, Number(startAtText) - Date.now()));
// Long fields make each line a couple of KB, so a torn or interleaved write would show.
const cwd = `/work/${id}/${'deep/'.repeat(200)}project`;
for (let i = 0; i < count; i++) {
  const payload = {
    session_id: `session-${id}`,
    transcript_path: `/tmp/${id}.jsonl`,
    cwd,
    hook_event_name: 'PostToolUse',
    tool_name: i % 2 === 0 ? 'Edit' : 'Write',
    tool_input: { file_path: `/work/${id}/file-${i}.ts`, command: 'x'.repeat(500) },
    tool_response: { output: 'y'.repeat(2000) },
  };
  const code = await runHook(['--config-dir', root], io, Readable.from([Buffer.from(JSON.stringify(payload))]));
  if (code !== 0) process.exitCode = code;
}
