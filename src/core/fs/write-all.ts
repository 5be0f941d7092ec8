import type { FileHandle } from 'node:fs/promises';

/**
 * Write every byte of `bufs` at the handle's position. writev may write less than asked without an
 * error (a nearly full disk); the rest is written again, which then fails with the real cause
 * (ENOSPC). A write of nothing at all is reported as ENOSPC too.
 */
export async function writeAll(handle: FileHandle, bufs: Buffer[]): Promise<void> {
  const total = bufs.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await handle.writev(bufs);
  if (bytesWritten >= total) return;
  const rest = Buffer.concat(bufs).subarray(bytesWritten);
  for (let done = 0; done < rest.length; ) {
    const { bytesWritten: n } = await handle.write(rest, done, rest.length - done);
    if (n <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    done += n;
  }
}
