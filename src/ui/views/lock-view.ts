import type { LockListReport } from '../../core/lock/list.js';
import type { LockEntry } from '../../core/lock/describe.js';
import type { AcquireReport } from '../../core/lock/acquire.js';
import type { ExtendReport, ReleaseReport } from '../../core/lock/reports.js';
import { shortenToken } from '../../core/lock/format.js';
import { formatDuration } from '../../core/duration.js';
import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c } from '../colors.js';

/** Renderers for `gridctl lock`: each draws from the same object --json prints. Tokens are shortened here only. */

function paintState(state: LockEntry['state']): string {
  if (state === 'stuck') return c().red.bold('stuck: no TTL');
  if (state === 'expiring') return c().yellow('expiring');
  return c().green('held');
}

function holderText(l: Pick<LockEntry, 'token' | 'holders' | 'type'>): string {
  if (l.token !== undefined) return shortenToken(l.token);
  if (l.holders) return l.holders.map((h) => `${shortenToken(h.owner)}×${h.count}`).join(' ');
  return `(${l.type})`;
}

const ttlText = (ms: number | null) => (ms === null ? 'none' : formatDuration(ms));

/** Who holds a lock, for a sentence: `token 504abedd…9b81`, `holders a, b` (Redisson) or `a hash`. */
export function describeHolder(l: Pick<LockEntry, 'token' | 'holders' | 'type'>): string {
  if (l.token !== undefined) return `token ${shortenToken(l.token)}`;
  if (l.holders) return `holders ${l.holders.map((h) => h.owner).join(', ')}`;
  return `a ${l.type}`;
}

export function renderLockList(report: LockListReport, out: Output): void {
  const rows = report.locks.map((l) => [
    l.resource,
    holderText(l),
    ttlText(l.ttlMs),
    out.stdoutIsTTY ? paintState(l.state) : l.state,
    l.format,
    l.idleSeconds === null ? '-' : `${l.idleSeconds}s`,
    l.node ?? '',
  ]);
  if (rows.length) out.print(renderTable(['RESOURCE', 'TOKEN', 'TTL', 'STATE', 'FORMAT', 'IDLE', 'NODE'], rows, { tty: out.stdoutIsTTY }));
  const s = report.summary;
  out.info(`${s.total} lock(s) matching ${report.patterns.join(', ')} on ${report.masters.length} master(s): ${s.held} held, ${s.expiring} expiring, ${s.stuck} stuck (no TTL)`);
  if (s.stuck) out.warn(`${s.stuck} lock(s) have no TTL and will never expire: check the holder, then \`gridctl lock release NAME --force\``);
}

export function renderLockEntry(entry: LockEntry, out: Output): void {
  const lines: Array<[string, string]> = [
    ['key', entry.key],
    ['state', out.stdoutIsTTY ? paintState(entry.state) : entry.state],
    ['ttl', ttlText(entry.ttlMs)],
    ['type', entry.type],
    ['format', entry.format],
  ];
  if (entry.token !== undefined) lines.push(['token', entry.token]);
  for (const h of entry.holders ?? []) lines.push(['holder', `${h.owner} (re-entered ${h.count}×)`]);
  lines.push(['idle', entry.idleSeconds === null ? '-' : `${entry.idleSeconds}s`]);
  out.print(lines.map(([k, v]) => (out.stdoutIsTTY ? `${c().bold(k.padEnd(7))} ${v}` : `${k}\t${v}`)).join('\n'));
}

export function renderAcquire(report: AcquireReport, out: Output): void {
  // The full token on stdout: it is what extend and release need.
  out.print(report.token);
  out.info(`acquired ${report.key} for ${formatDuration(report.ttlMs)} (valid for ${formatDuration(report.validityMs)}${report.mode === 'redlock' ? `; ${report.instances.filter((i) => i.ok).length}/${report.instances.length} masters` : ''})`);
}

export function renderExtend(report: ExtendReport, out: Output): void {
  if (report.extended) out.print(`extended ${report.key} to ${formatDuration(report.ttlMs)} (valid for ${formatDuration(report.validityMs)})`);
  else out.warn(`not extended: ${report.key} is not held by that token (expired or taken over)`);
}

export function renderRelease(report: ReleaseReport, out: Output): void {
  if ('force' in report) {
    const who = describeHolder(report);
    if (report.outcome === 'removed') {
      out.print(`released ${report.key} (forced); removed ${who}`);
      out.info(`audit record appended to ${report.auditLog}`);
    } else if (report.outcome === 'dry-run') out.print(`dry run: would remove ${report.key} held by ${who}`);
    else if (report.outcome === 'changed') out.warn(`not released: ${report.key} changed hands after you confirmed; nothing was removed`);
    else out.warn(`not released: ${report.key} no longer exists`);
    return;
  }
  if (report.dryRun) return out.print(`dry run: would release ${report.key} if it still holds that token`);
  if (report.released) out.print(`released ${report.key}${report.mode === 'redlock' ? ` on ${report.instances.filter((i) => i.ok).length}/${report.instances.length} masters` : ''}`);
  else out.warn(report.reason === 'absent' ? `not released: no lock ${report.key}` : `not released: ${report.key} is held by another token; nothing was changed`);
  if (report.mode === 'redlock') {
    for (const i of report.instances) out.info(`  ${i.address}: ${i.detail ?? (i.ok ? 'ok' : 'failed')}`);
  }
}
