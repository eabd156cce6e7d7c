/**
 * How `cco` writes its output (main/cli/io.ts): straight to file descriptors 1 and 2, in order,
 * complete before the process exits (bin/cco.js exits as soon as a command returns). Real child
 * processes, real pipes.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CCO_BIN, REPO, tempRoot } from '../helpers/cli.js';

const IO_MODULE = pathToFileURL(path.join(REPO, 'dist', 'main', 'cli', 'io.js')).href;

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function emptyConfigRoot(): string {
  const root = tempRoot('cco-output-');
  roots.push(root);
  fs.mkdirSync(path.join(root, 'projects'));
  return root;
}

describe('cco output', () => {
  it('ends quietly with exit code 0 when the reader has gone away (cco status | true)', () => {
    const root = emptyConfigRoot();
    // `true` exits without reading, so cco's write meets a closed pipe (EPIPE).
    const script = `"${process.execPath}" "${CCO_BIN}" status --json --config-dir "${root}" 2>"${root}/err.txt" | true; echo "exit=\${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('exit=0');
    expect(fs.readFileSync(path.join(root, 'err.txt'), 'utf8')).toBe('');
  });

  it('writes all of a large output into a non-blocking pipe that a slow reader keeps full (EAGAIN)', async () => {
    const dir = emptyConfigRoot();
    const fifo = path.join(dir, 'out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // Our end opens first (non-blocking, so it does not wait for a writer); the child opens its
    // own non-blocking write end, so its writes meet EAGAIN whenever the pipe is full. (A
    // terminal or a pipe from another Node process is blocking: libuv clears O_NONBLOCK on a
    // child's stdio; a pipe set up by some other program may not be.)
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const size = 3 * 1024 * 1024;
    const script = `import fs from 'node:fs';
      import { writeAllSync } from ${JSON.stringify(IO_MODULE)};
      const fd = fs.openSync(${JSON.stringify(fifo)}, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      let text = '';
      for (let i = 0; text.length < ${size}; i++) text += String(i % 10).repeat(1023) + '\\n';
      writeAllSync(fd, text.slice(0, ${size}));
      writeAllSync(2, 'done\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let exitCode: number | null | undefined;
    // 'close', not 'exit': by then the child's stderr has been read too.
    const exited = new Promise<void>((resolve) => child.on('close', (code) => resolve(void (exitCode = code))));

    const received: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(64 * 1024);
    // Until the child has exited and the pipe is drained (a FIFO without writers reads as 0 bytes,
    // also before the child has opened it).
    for (;;) {
      const exitedBeforeRead = exitCode !== undefined;
      let n = 0;
      try {
        n = fs.readSync(reader, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        n = -1;
      }
      if (n === 0 && exitedBeforeRead) break;
      if (n > 0) {
        received.push(Buffer.from(chunk.subarray(0, n)));
        total += n;
      }
      // A slow reader: the pipe fills up while we wait.
      await new Promise((resolve) => setTimeout(resolve, n > 0 && received.length % 8 !== 0 ? 0 : 10));
    }
    await exited;
    fs.closeSync(reader);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('done\n');
    expect(total).toBe(size);
    const lines = Buffer.concat(received).toString('utf8').split('\n');
    expect(lines.slice(0, -1).every((line, i) => line === String(i % 10).repeat(1023))).toBe(true);
  });
});
