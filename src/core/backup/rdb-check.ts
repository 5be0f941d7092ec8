import { constants } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { writeAll } from '../fs/write-all.js';
import { onCancel } from '../cancel.js';
import { checkRdbTrailer, type RdbTrailerCheck } from './rdb-trailer.js';
import { findBinary, serverToolNames } from '../local/binaries.js';

export interface RdbCheckResult {
  /** Which checker gave the verdict: redis-check-rdb (with its version when known), or gridctl's own CRC-64 check. */
  tool: 'redis-check-rdb' | 'crc-64' | 'structure';
  version?: string;
  ok: boolean;
  message: string;
}

/**
 * Check an RDB file: with redis-check-rdb when it is on PATH (it parses every key and checks the
 * CRC-64), otherwise with gridctl's own check (rdb-trailer.ts: header, CRC-64, nothing after it).
 */
export async function checkRdbFile(file: string): Promise<RdbCheckResult> {
  const r = await runRedisCheckRdb(file);
  if (!r?.tooNew) return r ? withoutFlags(r) : trailerResult(await checkRdbTrailer(file));
  // The checker is older than the file (or does not know Valkey 9's header): no verdict from it.
  const h = await open(file, 'r');
  try {
    const { size } = await h.stat();
    const head = Buffer.alloc(9);
    await h.read(head, 0, 9, 0);
    const tail = Buffer.alloc(9);
    if (size >= 18) await h.read(tail, 0, 9, size - 9);
    return structuralResult(head, tail, size, r);
  } finally {
    await h.close();
  }
}

export function trailerResult(t: RdbTrailerCheck): RdbCheckResult {
  return { tool: 'crc-64', ok: t.ok, message: t.message };
}

/** redis-check-rdb's verdict on a file, with its version; undefined when it is not installed. */
export async function runRedisCheckRdb(file: string): Promise<ReturnType<typeof checkResult> | undefined> {
  try {
    const { execa } = await import('execa');
    const checker = await findBinary(serverToolNames('check-rdb')).catch(() => undefined);
    if (!checker) return undefined;
    const r = await execa(checker, [file], { reject: false, timeout: 600_000 });
    if ((r as { code?: string }).code === 'ENOENT' || r.exitCode === undefined) return undefined;
    const version = /(?:redis|valkey)-check-rdb (\d+\.\d+\.\d+)/.exec((await execa(checker, ['--version'], { reject: false })).stdout)?.[1];
    return { ...checkResult(r.exitCode, `${r.stdout}\n${r.stderr}`), ...(version ? { version } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * The structural verdict after a checker that could not read the file: a REDIS0009-REDIS0079 or
 * VALKEY080+ header and the EOF opcode 9 bytes before the end; a file failing it keeps the checker's complaint.
 */
function structuralResult(head: Buffer, tail: Buffer, size: number, tooNew: RdbCheckResult & { reason?: string }): RdbCheckResult {
  const magic = head.toString('latin1');
  const ok = size >= 18 && /^(REDIS\d{4}|VALKEY\d{3})$/.test(magic) && tail[0] === 0xff;
  if (!ok) return withoutFlags(tooNew);
  return { tool: 'structure', ok, message: `${magic} header and EOF opcode present (${tooNew.reason}: the checker on PATH is older than the file)` };
}

function withoutFlags(r: RdbCheckResult): RdbCheckResult {
  return { tool: r.tool, ok: r.ok, message: r.message, ...(r.version ? { version: r.version } : {}) };
}

/** Output of a redis-check-rdb run as a check result: ok only on exit 0 and "RDB looks OK". */
function checkResult(exitCode: number | null, out: string): RdbCheckResult & { tooNew?: boolean; reason?: string } {
  const ok = exitCode === 0 && /RDB looks OK/i.test(out);
  if (ok) return { tool: 'redis-check-rdb', ok, message: 'RDB looks OK' };
  // The complaint is the line after "--- RDB ERROR DETECTED ---" (e.g. "[offset 96] Unexpected EOF
  // reading RDB file"), followed by what it was doing; the last lines are only key counts.
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const at = lines.findIndex((l) => /RDB ERROR DETECTED/.test(l));
  const complaint = at >= 0 ? lines.slice(at + 1).filter((l) => !/^\[info\]/.test(l)).slice(0, 3) : lines.slice(-1);
  const message = complaint.map((l) => l.replace(/^\[additional info\]\s*/, '')).join('; ') || `redis-check-rdb exited with code ${exitCode}`;
  // A newer version, or Valkey 9's VALKEY header before a Redis checker: the structural check decides.
  const newer = /Can't handle RDB format version (\d+)/.exec(out);
  const reason = newer ? `the local check-rdb cannot read RDB version ${newer[1]}` : /Wrong signature/.test(out) ? 'the local check-rdb does not know this header' : undefined;
  return { tool: 'redis-check-rdb', ok, message, ...(reason ? { tooNew: true, reason } : {}) };
}

/** A redis-check-rdb run fed while the RDB is being received (startStreamCheck). */
export interface RdbStreamCheck {
  /** Feed the next bytes of the RDB (in order); resolves when the checker has taken them. */
  write(bufs: Buffer[]): Promise<void>;
  /** No more bytes: the checker's verdict. */
  end(): Promise<RdbCheckResult>;
  /** Stop the checker and remove its pipe (transfer failed or cancelled). */
  abort(): Promise<void>;
}

/**
 * Start redis-check-rdb reading the RDB while the transfer writes it, so the check overlaps the
 * transfer instead of following it. It reads through a named pipe (mkfifo, 0600, in a private
 * 0700 temporary directory): redis-check-rdb reads its input front to back with stdio (fopen +
 * fread through rio, redis-check-rdb.c) and never seeks; it fstat()s the file only for its progress
 * total, which is 0 for a pipe. (Its stdin would not do: Node's stdio pipes are sockets, which
 * /dev/stdin cannot open.) Returns undefined when redis-check-rdb or mkfifo is missing: the caller
 * then checks the finished file with checkRdbFile.
 */
export async function startStreamCheck(): Promise<RdbStreamCheck | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-rdb-check-'));
  const fifo = path.join(dir, 'rdb');
  const removeDir = () => rm(dir, { recursive: true, force: true }).catch(() => undefined);
  // spawn, not execa: this runs before an RDB transfer starts, where loading execa delays the SYNC.
  const made = await new Promise<number | null>((resolve) => {
    const p = spawn('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    p.once('error', () => resolve(null));
    p.once('close', (code) => resolve(code));
  });
  if (made !== 0) {
    await removeDir();
    return undefined;
  }
  const checker = await findBinary(serverToolNames('check-rdb')).catch(() => undefined);
  if (!checker) {
    await removeDir();
    return undefined;
  }
  const child = spawn(checker, [fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!started) {
    await removeDir();
    return undefined;
  }
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-8192)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-8192)));
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => ((done = true), resolve(code))));
  // Opening the write end waits for the reader; if the checker died before opening it, open the
  // read end ourselves so this open cannot hang.
  const opening = open(fifo, 'w');
  void exited.then(async () => {
    const h = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
    await h?.close();
  });
  const writer: FileHandle = await opening;
  let closed = false;
  const closeWriter = async () => {
    if (closed) return;
    closed = true;
    await writer.close().catch(() => undefined);
  };
  const abort = async () => {
    removeCancel();
    child.kill('SIGKILL');
    await closeWriter();
    await removeDir();
  };
  // On Ctrl-C the process exits once the cancel handlers ran, whatever the transfer was doing:
  // the checker and its pipe's directory go with it.
  const removeCancel = onCancel(abort);
  // The first and last 9 bytes, for the structural verdict when the checker is older than the RDB.
  const head = Buffer.alloc(9);
  let tail = Buffer.alloc(0);
  let size = 0;
  return {
    async write(bufs) {
      for (const b of bufs) {
        if (size < 9) b.copy(head, size, 0, Math.min(b.length, 9 - size));
        size += b.length;
        tail = Buffer.concat([tail, b.subarray(Math.max(0, b.length - 9))]).subarray(-9);
      }
      if (done || closed) return;
      // EPIPE: the checker stopped reading (it found damage and exited); its verdict says why.
      await writeAll(writer, bufs).catch(() => undefined);
    },
    async end() {
      removeCancel();
      await closeWriter();
      const code = await exited;
      await removeDir();
      const result = checkResult(code, out);
      return result.tooNew ? structuralResult(head, tail, size, result) : withoutFlags(result);
    },
    abort,
  };
}
