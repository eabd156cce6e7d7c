// Child process for session-log-rotation.test.ts: appends COUNT tool-call events to ROOT's session
// log through appendSessionLog with a small rotation size, starting at START_AT_EPOCH_MS so that
// all siblings write (and rotate) at once. Needs the build (dist/).
// usage: node session-log-rotate-child.mjs ROOT ID COUNT START_AT_EPOCH_MS MAX_BYTES KEEP
import { appendSessionLog, sessionLogEventFromHook } from '../../../dist/main/core/sources/session-log.js';
import { sleepSync } from '../../../dist/main/core/store.js';

const [root, id, countText, startAtText, maxBytesText, keepText] = process.argv.slice(2);
const limits = { maxBytes: Number(maxBytesText), keep: Number(keepText) };
sleepSync(Math.max(0, Number(startAtText) - Date.now()));
// Lines of a couple of KB, so a torn or interleaved write would show.
const cwd = `/work/${id}/${'deep/'.repeat(300)}project`;
for (let i = 0; i < Number(countText); i++) {
  const payload = { hook_event_name: 'PostToolUse', session_id: `session-${id}`, cwd, tool_name: 'Edit', tool_input: { file_path: `/work/${id}/file-${i}.ts` } };
  appendSessionLog(root, sessionLogEventFromHook(payload, Date.now()), limits);
}
