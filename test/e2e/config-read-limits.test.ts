import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Issue 24 item 7: --config naming something that never ends is refused at once (it used to block, deaf to SIGTERM). */
describe('--config that is not a regular file', () => {
  it('a FIFO nobody writes to: exit 3 naming it, without waiting for a writer', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-fifo-'));
    const fifo = path.join(dir, 'gridctl.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['check', '--config', fifo], { timeoutMs: 20_000 });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`config file ${fifo} is not a regular file (a FIFO)`);
  });

  it('/dev/urandom: exit 3 naming a character device, nothing read', async () => {
    const r = await runCli(['health', '--config', '/dev/urandom'], { timeoutMs: 20_000 });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('config file /dev/urandom is not a regular file (a character device)');
  });
});
