/**
 * Opening files whose path comes from outside (Claude Code's `sessions/<pid>.json`, a hook's
 * `transcript_path`, the status line's, the state files in a config root) without hanging on
 * them. A FIFO opened for reading blocks until a writer comes, and `/dev/zero` never ends, so a
 * planted `sessions/<pid>.json` could freeze `cco status`, a hook or the app's main process.
 * The open is non-blocking (a FIFO opens at once), the descriptor is fstat'ed, and anything but a
 * regular file is refused before a byte is read. O_NONBLOCK changes nothing for a regular file.
 */
import fs from 'node:fs';

// Windows has no O_NONBLOCK (and no FIFOs in the file system): 0 there.
const OPEN_READ = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** A path that is a FIFO, device, socket or folder where a regular file was expected. */
export class NotRegularFileError extends Error {
  /** EISDIR for a folder, as a read of it would say; ENOTREGULAR otherwise. */
  readonly code: string;
  constructor(message: string, stat: fs.Stats) {
    super(message);
    this.code = stat.isDirectory() ? 'EISDIR' : 'ENOTREGULAR';
  }
}

/** A file larger than anything of its kind can be, refused before it is read into memory. */
export class FileTooLargeError extends Error {
  readonly code = 'EFILETOOLARGE';
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/**
 * Open `file` for reading, following symlinks, only if it is a regular file. Returns the
 * descriptor (the caller closes it) and its size at open. ENOENT and other open errors pass
 * through unchanged; anything else throws NotRegularFileError.
 */
export function openRegularFileSync(file: string): { fd: number; size: number } {
  return openRegular(file, OPEN_READ, 'read');
}

/**
 * The whole of a small file (JSON state, a live-session file) as UTF-8, refusing non-regular
 * files and anything over `maxBytes` (checked on the descriptor before reading, and again while
 * reading in case it grows).
 */
export function readRegularFileSync(file: string, maxBytes: number): string {
  const { fd, size } = openRegularFileSync(file);
  try {
    if (size > maxBytes) throw new FileTooLargeError(`${file} is ${size} bytes, over the ${maxBytes}-byte limit for this file; not read`);
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, size) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n <= 0) break;
      length += n;
      if (length > maxBytes) throw new FileTooLargeError(`${file} grew over the ${maxBytes}-byte limit for this file while being read; not read`);
      // The file grew while we read: room for more, up to the limit.
      if (length === buffer.length) return readGrowing(fd, file, buffer, length, maxBytes);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
}

function readGrowing(fd: number, file: string, start: Buffer, length: number, maxBytes: number): string {
  const chunks = [start.subarray(0, length)];
  let total = length;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n <= 0) break;
    total += n;
    if (total > maxBytes) throw new FileTooLargeError(`${file} grew over the ${maxBytes}-byte limit for this file while being read; not read`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Whether `file` (following links) is a regular file, without opening it. */
export function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const OPEN_APPEND = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Open (creating) `file` for appending, only if it is a regular file: opening a FIFO for writing
 * blocks until a reader comes, which would hang a hook. Non-blocking, a FIFO without a reader
 * fails at once (ENXIO) and one with a reader is refused after fstat.
 */
export function openRegularFileForAppendSync(file: string): number {
  return openRegular(file, OPEN_APPEND, 'written', 0o666).fd;
}

/** Opens with `flags` (non-blocking), then refuses anything fstat does not call a regular file. */
function openRegular(file: string, flags: number, verb: 'read' | 'written', mode?: number): { fd: number; size: number } {
  const fd = fs.openSync(file, flags, mode);
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw new NotRegularFileError(`${file} is ${kindOf(stat)}, not a regular file; not ${verb}`, stat);
  }
  return { fd, size: stat.size };
}
