import type { Output } from '../output.js';
import { c, paintStatus } from '../colors.js';
import { renderTable } from '../table.js';
import { summaryLine } from '../summary-line.js';
import { renderGauges } from '../prometheus.js';
import { formatBytes } from '../../core/memory/parse-size.js';
import { formatDuration } from '../../core/duration.js';
import type { BuffersReport, ChannelsReport, WatchReport } from '../../core/pubsub/types.js';


/** `pubsub channels`: the groups, the channels, then the critical checks. */
export function renderChannels(r: ChannelsReport, out: Output, format: string | undefined): void {
  if (format === 'prometheus') return out.print(channelsPrometheus(r));
  const tty = out.stdoutIsTTY;
  if (!tty) {
    const rows = r.channels.map((ch) => [ch.channel, ch.group, ch.subscribers, ch.sharded ? 'shard' : 'global', ch.nodes.join(',')]);
    if (rows.length) out.print(renderTable([], rows, { tty: false }));
  } else {
    const parts: string[] = [];
    if (r.groups.length) parts.push(renderTable(['CHANNEL GROUP', 'CHANNELS', 'SUBSCRIBERS'], r.groups.map((g) => [g.group, g.channels, g.subscribers]), { tty: true }));
    if (r.channels.length) parts.push(renderTable(['CHANNEL', 'GROUP', 'SUBSCRIBERS', 'KIND', 'NODES'], r.channels.map((ch) => [ch.channel, ch.group, ch.subscribers, ch.sharded ? 'shard' : 'global', ch.nodes.join(', ')]), { tty: true }));
    if (r.critical.length) parts.push(renderTable(['CRITICAL CHANNEL', 'STATUS', 'SUBSCRIBERS', 'MINIMUM'], r.critical.map((k) => [k.channel, paintStatus(k.status), k.subscribers, k.minSubscribers]), { tty: true }));
    if (parts.length) out.print(parts.join('\n'));
  }
  for (const k of r.critical.filter((x) => x.status !== 'PASS')) out.warn(`${k.status} critical channel ${k.channel}: ${k.subscribers} subscriber(s), at least ${k.minSubscribers} needed`);
  for (const n of r.nodes.filter((x) => x.error)) out.warn(`${n.address}: ${n.error}`);
  summaryLine(out, `${r.channels.length} channel(s), ${r.channels.reduce((n, ch) => n + ch.subscribers, 0)} subscription(s), ${r.patternSubscriptions} pattern subscription(s) on ${r.nodes.length} node(s)`);
}

function channelsPrometheus(r: ChannelsReport): string {
  return renderGauges([
    { name: 'gridctl_pubsub_channel_subscribers', help: 'Subscribers of the channel, summed over every data node.', samples: r.channels.map((ch) => ({ labels: { channel: ch.channel, group: ch.group, kind: ch.sharded ? 'shard' : 'global' }, value: ch.subscribers })) },
    { name: 'gridctl_pubsub_group_subscribers', help: 'Subscribers of the channels of one gateway channel pattern.', samples: r.groups.map((g) => ({ labels: { group: g.group }, value: g.subscribers })) },
    { name: 'gridctl_pubsub_pattern_subscriptions', help: 'PUBSUB NUMPAT per node.', samples: r.nodes.map((n) => ({ labels: { node: n.address }, value: n.patterns })) },
    { name: 'gridctl_pubsub_critical_channel_status', help: 'Critical channel check (0 pass, 1 warn, 2 fail).', samples: r.critical.map((k) => ({ labels: { channel: k.channel }, value: { PASS: 0, WARN: 1, FAIL: 2 }[k.status] })) },
  ]);
}

/** `pubsub buffers`: subscribers by output buffer, largest first. */
export function renderBuffers(r: BuffersReport, out: Output, format: string | undefined): void {
  if (format === 'prometheus') {
    return out.print(
      renderGauges([
        { name: 'gridctl_pubsub_subscriber_omem_bytes', help: 'Output buffer memory of a subscriber (CLIENT LIST omem).', samples: r.subscribers.map((s) => ({ labels: { node: s.node, id: s.id, name: s.name, user: s.user }, value: s.omem })) },
        { name: 'gridctl_pubsub_subscriber_buffer_used_ratio', help: 'omem / the pubsub output buffer limit it hits first.', samples: r.subscribers.map((s) => ({ labels: { node: s.node, id: s.id, name: s.name, user: s.user }, value: s.usedPercent === null ? null : s.usedPercent / 100 })) },
      ]),
    );
  }
  const tty = out.stdoutIsTTY;
  const rows = r.subscribers.map((s) => [
    tty ? paintStatus(s.status) : s.status,
    s.node,
    s.id,
    s.addr,
    s.name || '-',
    s.user,
    `${s.channels}/${s.patterns}/${s.shardChannels}`,
    tty ? formatBytes(s.omem) : s.omem,
    tty ? formatBytes(s.totMem) : s.totMem,
    s.usedPercent === null ? '-' : tty ? `${s.usedPercent.toFixed(1)}%` : s.usedPercent.toFixed(2),
  ]);
  if (rows.length) out.print(renderTable(['STATUS', 'NODE', 'ID', 'ADDR', 'NAME', 'USER', 'SUB/PSUB/SSUB', 'OMEM', 'TOT-MEM', 'OF LIMIT'], rows, { tty }));
  const limits = [...new Set(r.limits.map((l) => (l.limit ? `hard ${formatBytes(l.limit.hardBytes)}, soft ${formatBytes(l.limit.softBytes)} for ${l.limit.softSeconds}s` : 'unknown (no CONFIG GET)')))].join('; ');
  summaryLine(out, `${r.subscribers.length} subscriber(s), ${r.flagged} at ${r.warnPercent}% of their limit or more; pubsub limit ${limits}`);
}

/** `pubsub watch`: channels by message count; payloads only when they were asked for. */
export function renderWatch(r: WatchReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  const rows = r.channels.map((ch) => [ch.channel, ch.messages, ch.perSecond, tty ? formatBytes(ch.bytes) : ch.bytes]);
  if (rows.length) out.print(renderTable(['CHANNEL', 'MESSAGES', 'PER SECOND', 'BYTES'], rows, { tty }));
  if (r.payloadsShown) {
    for (const ch of r.channels) for (const p of ch.payloads ?? []) out.print(`${tty ? c().dim(ch.channel) : ch.channel}\t${p}`);
  }
  summaryLine(out, `${r.messages} message(s) on ${r.channels.length} channel(s) matching ${r.pattern} in ${formatDuration(r.durationMs)} (from ${r.node})`);
}
