import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findBinary, serverToolNames } from '../local/binaries.js';
import { freePorts } from '../local/ports.js';
import { splitArgs, quoteArg } from './tokenize.js';
import type { ServerKind } from './model.js';
import type { BootResult } from './report.js';

export interface BootOptions {
  /** redis-server to use (default: PATH). Sentinel files are run with the same binary and --sentinel. */
  redisServer?: string;
  /** How long to wait for the server's verdict (ready or exited); a normal start takes well under a second. */
  timeoutMs?: number;
}

/** Generous: the wait ends at the verdict, so this only matters for a server that hangs (or a starved CI runner). */
const VERDICT_TIMEOUT_MS = 20_000;

interface BootTarget {
  file: string;
  kind: ServerKind | 'acl';
}

/**
 * `--boot`: start the real server on a copy of each file, in a throwaway directory, on free
 * loopback ports, and report whether it boots. The copy keeps every line where it was (so Redis'
 * "at line N" maps straight back) but points dir, pidfile, logfile, unixsocket, include and aclfile
 * into the throwaway directory: Redis applies `dir` (chdir) while parsing, so the real data dir
 * is never touched. The file's own bind (moved onto loopback), dbfilename and appendfilename stay,
 * so what Redis says about those lines is what it would say on the real host.
 */
export async function bootFiles(targets: BootTarget[], opts: BootOptions = {}): Promise<BootResult[]> {
  const binary = await findBinary(serverToolNames('server'), opts.redisServer);
  const { execa } = await import('execa');
  const v = await execa(binary, ['--version'], { reject: false, timeout: 5000 });
  const version = /v=(\S+)/.exec(String(v.stdout))?.[1];
  const results: BootResult[] = [];
  // Two at a time: enough to overlap start-up waits without starving a 2-core CI runner.
  for (let i = 0; i < targets.length; i += 2) {
    results.push(...(await Promise.all(targets.slice(i, i + 2).map((t) => bootOne(t, binary, version, opts.timeoutMs ?? VERDICT_TIMEOUT_MS)))));
  }
  return results;
}

async function bootOne(t: BootTarget, binary: string, version: string | undefined, timeoutMs: number): Promise<BootResult> {
  const base: BootResult = { file: t.file, binary, booted: false, ...(version ? { version } : {}) };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-boot-'));
  try {
    const copies = new Map<string, string>(); // temp copy -> original
    const [port, tlsPort, busPort] = await freePorts(3);
    const args: string[] = [];
    let conf: string | undefined;
    let hasBind = false;
    if (t.kind === 'acl') {
      const acl = path.join(dir, path.basename(t.file));
      await copyFile(t.file, acl);
      copies.set(acl, t.file);
      args.push('--port', String(port), '--aclfile', acl);
    } else {
      const rewritten = await rewriteTree(t.file, dir, copies);
      conf = rewritten.main;
      hasBind = rewritten.hasBind;
      args.push(conf);
      if (t.kind === 'sentinel') args.push('--sentinel');
      // Only ports that are on get a free one: a file that listens nowhere must still be refused.
      if (rewritten.port !== 0) args.push('--port', String(port));
      if (rewritten.tlsPort > 0) args.push('--tls-port', String(tlsPort));
      if (rewritten.cluster) args.push('--cluster-port', String(busPort));
    }
    // The file's own bind stays (remapped onto loopback); without one, Redis' default would be every interface.
    if (!hasBind) args.push('--bind', '127.0.0.1');
    args.push('--daemonize', 'no', '--supervised', 'no', '--logfile', '', '--pidfile', path.join(dir, 'redis.pid'), '--dir', dir);
    const { output, ready } = await runUntilVerdict(binary, args, dir, timeoutMs);
    if (ready) return { ...base, booted: true };
    const refusal = explainRefusal(output, copies);
    return { ...base, booted: false, reason: refusal.reason, ...(refusal.at ? { at: refusal.at } : {}) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The server's own verdict: "Ready to accept connections" (or Sentinel's "Sentinel ID is"), logged
 * after the config, the ACL file and the data are loaded, or its exit. An open port is no verdict:
 * the listeners open before the ACL file is read, and a crash (7.0.15 on an unmatched "(") comes
 * after that. Only when neither comes within timeoutMs is the run called off.
 */
async function runUntilVerdict(binary: string, args: string[], cwd: string, timeoutMs: number): Promise<{ output: string; ready: boolean }> {
  const { execa } = await import('execa');
  const child = execa(binary, args, { cwd, reject: false, all: true, stdin: 'ignore', timeout: timeoutMs + 5000 });
  let output = '';
  let ready = false;
  let timedOut = false;
  let settle: () => void = () => {};
  const verdict = new Promise<void>((resolve) => (settle = resolve));
  child.all?.on('data', (b: Buffer) => {
    output += b.toString();
    if (READY_RE.test(output)) { ready = true; settle(); }
  });
  const timer = setTimeout(() => { timedOut = true; settle(); }, timeoutMs);
  await Promise.race([verdict, child]);
  clearTimeout(timer);
  child.kill('SIGKILL');
  const result = await child;
  if (ready) return { output, ready };
  if (timedOut) output += `\nno verdict: neither ready nor exited within ${Math.round(timeoutMs / 1000)} s`;
  else if (result.signal && !CRASH_RE.test(output)) output += `\ncrashed by signal: ${result.signal}`;
  return { output, ready };
}

const READY_RE = /Ready to accept connections|now ready to accept connections at|Sentinel ID is /;
const CRASH_RE = /crashed by signal: (\w+)/;

// dbfilename, appendfilename and appenddirname stay as written: Redis refuses a path there while
// parsing, and a plain name lands in the throwaway dir.
const PATH_DIRECTIVES = new Set(['pidfile', 'logfile', 'unixsocket', 'cluster-config-file']);
const ABS_PATH_DIRECTIVES = new Set(['tls-cert-file', 'tls-key-file', 'tls-ca-cert-file', 'tls-ca-cert-dir', 'tls-client-cert-file', 'tls-client-key-file', 'tls-dh-params-file', 'loadmodule']);

/** Copy a config (and its includes and aclfile) into `dir`, line for line, with paths neutralised. */
async function rewriteTree(file: string, dir: string, copies: Map<string, string>): Promise<{ main: string; port: number; tlsPort: number; cluster: boolean; hasBind: boolean }> {
  let n = 0;
  const state = { port: 6379, tlsPort: 0, cluster: false, hasBind: false };
  const visit = async (src: string): Promise<string> => {
    const dest = path.join(dir, `${n++}-${path.basename(src)}`);
    copies.set(dest, src);
    const lines = (await readFile(src, 'utf8')).split('\n');
    let originalDir = path.dirname(src);
    for (let i = 0; i < lines.length; i++) {
      const trimmed = lines[i]!.trim();
      if (!trimmed || trimmed.startsWith('#')) continue;
      const a = splitArgs(trimmed);
      if (!a?.length) continue;
      const name = a[0]!.toLowerCase();
      const v = a[1];
      if (name === 'port' && v !== undefined && a.length === 2) state.port = Number(v) || 0;
      if (name === 'tls-port' && v !== undefined && a.length === 2) state.tlsPort = Number(v) || 0;
      if (name === 'cluster-enabled' && v?.toLowerCase() === 'yes') state.cluster = true;
      if (name === 'bind') {
        state.hasBind = true;
        lines[i] = `bind ${loopbackBind(a.slice(1)).map(quoteArg).join(' ')}`;
        continue;
      }
      if (a.length !== 2 || v === undefined) continue;
      if (name === 'dir') {
        // Keep a dir that cannot exist anywhere ($HOME, placeholders) as written: that refusal is the file's fault.
        if (/\$|\{\{/.test(v)) continue;
        if (path.isAbsolute(v)) originalDir = v;
        lines[i] = `dir ${quoteArg(dir)}`;
      } else if (name === 'include') {
        const target = path.resolve(path.dirname(src), v);
        if (/[*?[]/.test(target)) continue;
        try { lines[i] = `include ${quoteArg(await visit(target))}`; } catch { /* missing include: Redis reports it */ }
      } else if (name === 'aclfile') {
        const target = path.isAbsolute(v) ? v : path.resolve(originalDir, v);
        const copy = path.join(dir, `${n++}-${path.basename(target)}`);
        try { await copyFile(target, copy); copies.set(copy, target); lines[i] = `aclfile ${quoteArg(copy)}`; } catch { /* missing aclfile: Redis reports it */ }
      } else if (PATH_DIRECTIVES.has(name)) {
        lines[i] = `${name} ${quoteArg(name === 'logfile' ? '' : path.basename(v))}`;
      } else if (ABS_PATH_DIRECTIVES.has(name) && !path.isAbsolute(v)) {
        lines[i] = `${name} ${quoteArg(path.resolve(originalDir, v))}`;
      }
    }
    await writeFile(dest, lines.join('\n'), { mode: 0o600 });
    return dest;
  };
  const main = await visit(file);
  return { main, ...state };
}

const LOOPBACK_RE = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * A bind line moved onto loopback, value for value, so what Redis does with the line itself (a
 * trailing "# comment" read as addresses, more than 16 addresses) is unchanged: loopback addresses
 * and everything from a `#` on stay as written; any other address becomes 127.0.0.1, then optional
 * (`-`) 127.0.0.N, which a host without those addresses skips.
 */
export function loopbackBind(args: string[]): string[] {
  const values = args.length === 1 ? (splitArgs(args[0]!) ?? args) : args;
  if (values.length === 0) return args;
  const comment = values.findIndex((v) => v.startsWith('#'));
  const addresses = comment < 0 ? values : values.slice(0, comment);
  let next = addresses.some((v) => v.replace(/^-/, '') === '127.0.0.1') ? 2 : 1;
  const mapped = addresses.map((v) => (LOOPBACK_RE.test(v.replace(/^-/, '')) ? v : next === 1 ? `127.0.0.${next++}` : `-127.0.0.${next++}`));
  return [...mapped, ...(comment < 0 ? [] : values.slice(comment))];
}

/** Turn Redis' refusal output into one reason and, when it names a line, the original file:line. */
export function explainRefusal(output: string, copies: Map<string, string>): { reason: string; at?: { file: string; line: number } } {
  const fatal = /FATAL CONFIG FILE ERROR[^\n]*\n[^\n]*at line (\d+)\n>>> '([^\n]*)'\n([^\n]+)/.exec(output);
  if (fatal) {
    const line = Number(fatal[1]);
    const text = fatal[2]!.trim();
    const reason = `${fatal[3]!.trim()} ('${text}')`;
    // Redis does not say which file (main or include) the line is in: find the copy whose line N is that text.
    for (const [copy, original] of copies) {
      let lines: string[] = [];
      try { lines = readFileSync(copy, 'utf8').split('\n'); } catch { continue; }
      if (lines[line - 1]?.trim() === text) return { reason, at: { file: original, line } };
    }
    // Past the end of every file: the command-line overlay (our ports/paths) was refused.
    return { reason: `${reason} [in gridctl's command-line overlay]` };
  }
  const acl = /because of ACL errors: ([^\n]*?)(?:\n|$)/.exec(output);
  if (acl) {
    let reason = acl[1]!.trim();
    let at: { file: string; line: number } | undefined;
    for (const [copy, original] of copies) {
      const m = new RegExp(`${escapeRe(copy)}:(\\d+)`).exec(reason);
      if (m && !at) at = { file: original, line: Number(m[1]) };
      reason = reason.split(copy).join(path.basename(original));
    }
    return { reason, ...(at ? { at } : {}) };
  }
  const lines = output.split('\n').map((l) => l.replace(/^\d+:[A-Z] [^*#]*[*#] ?/, '').trim()).filter(Boolean);
  const crash = CRASH_RE.exec(output);
  if (crash) {
    // A crash is redis-server's bug, but the file triggers it: say where start-up had got to.
    const before = lines.slice(0, lines.findIndex((l) => CRASH_RE.test(l))).filter((l) => !/^(WARNING|=+)/.test(l)).at(-1);
    return { reason: `crashed (signal ${crash[1]}) while starting${before ? `, after "${before}"` : ''}` };
  }
  // A listener that cannot open: the address Redis could not use says why ("#" from a trailing comment).
  const listen = lines.find((l) => /Could not create server (TCP|TLS) listening socket/.test(l));
  if (listen) return { reason: listen.replace(/^Warning: /, '') };
  const last = lines.filter((l) => !/^(oO0OoO0OoO0Oo|Redis version|Configuration loaded|WARNING)/.test(l)).at(-1) ?? 'exited without a message';
  return { reason: last };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
