import { open } from 'node:fs/promises';
import { execa } from 'execa';

export interface RdbCheckResult {
  tool: 'redis-check-rdb' | 'structure';
  ok: boolean;
  message: string;
}

/**
 * Check an RDB file: with redis-check-rdb when it is on PATH (it parses every key and checks the
 * CRC-64), otherwise structurally: "REDIS" + version at the start and the EOF opcode (0xFF) 9 bytes
 * before the end.
 */
export async function checkRdbFile(file: string): Promise<RdbCheckResult> {
  try {
    const r = await execa('redis-check-rdb', [file], { reject: false, timeout: 600_000 });
    if (r.exitCode !== undefined && (r as { failed?: boolean; code?: string }).code !== 'ENOENT') {
      const out = `${r.stdout}\n${r.stderr}`;
      const ok = r.exitCode === 0 && /RDB looks OK/i.test(out);
      const last = out.trim().split('\n').filter(Boolean).pop() ?? '';
      return { tool: 'redis-check-rdb', ok, message: ok ? 'RDB looks OK' : last.replace(/^\[[^\]]*\]\s*/, '') };
    }
  } catch {
    // not installed: fall through to the structural check
  }
  const h = await open(file, 'r');
  try {
    const { size } = await h.stat();
    const head = Buffer.alloc(9);
    await h.read(head, 0, 9, 0);
    const tail = Buffer.alloc(9);
    if (size >= 18) await h.read(tail, 0, 9, size - 9);
    const ok = size >= 18 && head.subarray(0, 5).toString('latin1') === 'REDIS' && /^\d{4}$/.test(head.subarray(5).toString('latin1')) && tail[0] === 0xff;
    return { tool: 'structure', ok, message: ok ? `REDIS${head.subarray(5).toString('latin1')} header and EOF opcode present (redis-check-rdb not found)` : 'not a complete RDB file' };
  } finally {
    await h.close();
  }
}
