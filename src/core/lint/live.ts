import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { applyAclRules, newUser, userCanRun, type AclUser } from './acl.js';
import { commandCategories } from './versions/commands.js';
import { parseMemory } from './tokenize.js';
import { liveRules } from './rules/live.js';
import type { ServerUnit } from './model.js';
import type { Finding, RuleMeta } from './types.js';
import type { LiveSummary } from './report.js';
import type { TargetVersion } from './versions/directives.js';
import { parseInfo } from '../redis/info.js';
import { identityFromInfo, type Engine, type ServerIdentity } from '../compat/server-identity.js';

/** What the running server says, read with CONFIG GET *, ACL LIST and INFO server. */
export interface LiveSnapshot {
  config: Map<string, string>;
  aclList?: string[];
  /** The engine and its own version (a Valkey by its valkey_version, not its redis_version 7.2.4). */
  engine?: Engine;
  version?: string;
  /** Commands the user was not allowed to run (NOPERM): those comparisons were skipped. */
  denied: string[];
}

/** Read a running server with only CONFIG GET, ACL LIST and INFO (the permissions --live documents). */
export async function readLive(client: Redis): Promise<LiveSnapshot> {
  const denied: string[] = [];
  const config = new Map<string, string>();
  try {
    const flat = (await client.call('CONFIG', 'GET', '*')) as string[];
    for (let i = 0; i + 1 < flat.length; i += 2) config.set(flat[i]!, flat[i + 1]!);
  } catch (err) {
    if (!/NOPERM/.test((err as Error).message)) throw err;
    denied.push('CONFIG GET');
  }
  let aclList: string[] | undefined;
  try {
    aclList = (await client.call('ACL', 'LIST')) as string[];
  } catch (err) {
    if (!/NOPERM/.test((err as Error).message)) throw err;
    denied.push('ACL LIST');
  }
  let server: ServerIdentity | undefined;
  try {
    server = identityFromInfo(parseInfo(await client.info('server')));
  } catch (err) {
    if (!/NOPERM/.test((err as Error).message)) throw err;
    denied.push('INFO');
  }
  return { config, ...(aclList ? { aclList } : {}), ...(server ? { engine: server.engine, version: server.version } : {}), denied };
}

// Not comparable: accumulate, are rewritten by the deployment tooling, or are per-process paths.
const SKIP = new Set(['include', 'user', 'rename-command', 'loadmodule', 'sentinel', 'pidfile', 'logfile', 'dir', 'daemonize', 'supervised']);

function normalise(key: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (key === 'save' || key === 'bind' || key === 'client-output-buffer-limit' || key === 'oom-score-adj-values') return v.split(/\s+/).map((x) => String(parseMemory(x) ?? x)).join(' ');
  const mem = parseMemory(v);
  return mem !== undefined ? String(mem) : v;
}

const meta = (id: string): RuleMeta => liveRules.find((r) => r.id === id)!;

/**
 * Compare a file's directives and users with the running server; plus the live-only rules.
 * Ports and bind addresses are compared too: a different port is drift as well.
 */
export function compareLive(server: ServerUnit | undefined, snap: LiveSnapshot, node: string, version: TargetVersion): { findings: Finding[]; summary: LiveSummary } {
  const findings: Finding[] = [];
  const file = server?.conf.file ?? node;
  const add = (id: string, at: { file: string; line: number }, message: string) => {
    const r = meta(id);
    findings.push({ ruleId: id, severity: r.severity, title: r.title, message, file: at.file, line: at.line, fix: r.fix, docs: r.docs });
  };
  let directivesCompared = 0;
  if (server && snap.config.size) {
    const seen = new Set<string>();
    for (const d of [...server.eff.directives].reverse()) {
      if (SKIP.has(d.key) || seen.has(d.key)) continue;
      seen.add(d.key);
      const live = snap.config.get(d.key) ?? snap.config.get(d.name);
      if (live === undefined) continue;
      directivesCompared++;
      const want = d.key === 'save' ? server.eff.lines('save').map((x) => x.args.join(' ')).join(' ') : d.args.join(' ');
      if (normalise(d.key, want) !== normalise(d.key, live)) {
        const secret = /pass$|requirepass|masterauth/.test(d.key);
        add('DRIFT001', d, secret ? `${d.key} differs between the file and the running server` : `${d.key}: file says "${want}", running server has "${live}"`);
      }
    }
  }
  const liveUsers = new Map<string, AclUser>();
  for (const line of snap.aclList ?? []) {
    const parts = line.split(' ');
    if (parts[0] !== 'user' || !parts[1]) continue;
    const u = newUser(parts[1], node, 0);
    applyAclRules(u, parts.slice(2), version);
    liveUsers.set(u.name, u);
  }
  let usersCompared = 0;
  if (server && snap.aclList && server.users.source !== 'none') {
    const commands = [...commandCategories().keys()];
    const fileUsers = new Map(server.users.users.map((u) => [u.name, u]));
    for (const [name, fu] of fileUsers) {
      const lu = liveUsers.get(name);
      usersCompared++;
      if (!lu) { add('DRIFT002', { file: fu.file, line: fu.line }, `user ${name} is in the file but not on the running server`); continue; }
      const diffs: string[] = [];
      if (fu.enabled !== lu.enabled) diffs.push(`file ${fu.enabled ? 'on' : 'off'}, running ${lu.enabled ? 'on' : 'off'}`);
      if (fu.nopass !== lu.nopass) diffs.push(`nopass differs`);
      const fileHashes = new Set([...fu.hashes, ...fu.passwords.map((p) => createHash('sha256').update(p).digest('hex'))]);
      if (fileHashes.size !== lu.hashes.length || lu.hashes.some((h) => !fileHashes.has(h))) diffs.push('passwords differ');
      if (fu.allKeys !== lu.allKeys || fu.keyPatterns.join(' ') !== lu.keyPatterns.join(' ')) diffs.push(`keys: file ${fu.allKeys ? '~*' : fu.keyPatterns.map((p) => '~' + p).join(' ') || 'none'}, running ${lu.allKeys ? '~*' : lu.keyPatterns.map((p) => '~' + p).join(' ') || 'none'}`);
      if (fu.allChannels !== lu.allChannels || fu.channelPatterns.join(' ') !== lu.channelPatterns.join(' ')) diffs.push('channels differ');
      const cmdDiff = commands.filter((c) => userCanRun(fu, c) !== userCanRun(lu, c));
      if (cmdDiff.length) diffs.push(`commands differ (${cmdDiff.slice(0, 5).join(', ')}${cmdDiff.length > 5 ? `, +${cmdDiff.length - 5} more` : ''})`);
      if (diffs.length) add('DRIFT002', { file: fu.file, line: fu.line }, `user ${name}: ${diffs.join('; ')}`);
    }
    for (const name of liveUsers.keys()) if (!fileUsers.has(name) && !(name === 'default' && !fileUsers.size)) add('DRIFT002', { file, line: 0 }, `user ${name} exists on the running server but not in the files`);
  }
  const def = liveUsers.get('default');
  if (def && def.enabled && def.nopass) add('LIVE001', { file, line: 0 }, `the running server's default user is on with nopass (${node})`);
  for (const u of liveUsers.values()) if (u.name !== 'default' && u.enabled && u.nopass) add('LIVE004', { file, line: 0 }, `running user ${u.name} is on with nopass`);
  if (snap.config.get('protected-mode') === 'no') add('LIVE002', { file, line: 0 }, `protected-mode is no on the running server (${node})`);
  if (snap.config.size && (snap.config.get('tls-port') ?? '0') === '0') add('LIVE003', { file, line: 0 }, `${node} has no TLS listener (tls-port 0)`);
  return { findings, summary: { source: 'live', node, ...(snap.version ? { engine: snap.engine ?? 'redis', version: snap.version } : {}), directivesCompared, usersCompared } };
}
