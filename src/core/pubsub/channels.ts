import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import type { GridctlConfig } from '../config/schema.js';
import { NamespaceMatcher } from '../namespaces/matcher.js';
import { GATEWAY_CHANNEL_PATTERNS } from './patterns.js';
import type { ChannelGroup, ChannelStat, ChannelsReport, PubsubNode } from './types.js';
import { criticalCheck } from './critical.js';

interface NodeChannels {
  numpat: number;
  channels: Map<string, number>;
  shard: Map<string, number>;
}

/**
 * `gridctl pubsub channels`: PUBSUB CHANNELS / SHARDCHANNELS with their NUMSUB on every data node
 * (masters and replicas: a subscriber can sit on any of them), summed per channel, grouped by the
 * gateway's channel patterns, and the critical channels of gridctl.yaml against their minimum.
 */
export async function listChannels(dep: Deployment, config: GridctlConfig, opts: { pattern?: string } = {}, now = Date.now()): Promise<ChannelsReport> {
  const nodes = (await dep.discover()).filter((n) => n.role !== 'sentinel');
  const critical = config.pubsub?.critical ?? [];
  const results = await dep.forEachNode(nodes, (client) => readNode(client, opts.pattern ?? '*', critical.map((c) => c.channel)));
  const failed = results.find((r) => r.error);
  // Every node failing is the deployment refusing (auth, ACL): say so with its exit code.
  if (failed && results.every((r) => r.error)) throw failed.error;
  const byChannel = new Map<string, ChannelStat>();
  const matcher = new NamespaceMatcher(GATEWAY_CHANNEL_PATTERNS, { prefixDepth: 1, maxPrefixGroups: 200 });
  const pubsubNodes: PubsubNode[] = [];
  for (const { node, result, error } of results) {
    pubsubNodes.push({ address: node.address, role: node.role, patterns: result?.numpat ?? null, ...(error ? { error: error.message } : {}) });
    if (!result) continue;
    for (const [sharded, map] of [[false, result.channels], [true, result.shard]] as const) {
      for (const [channel, n] of map) {
        const key = `${sharded ? 's' : 'c'}:${channel}`;
        const stat = byChannel.get(key) ?? { channel, subscribers: 0, group: matcher.match(channel).name, sharded, nodes: [] };
        stat.subscribers += n;
        if (n > 0) stat.nodes.push(node.address);
        byChannel.set(key, stat);
      }
    }
  }
  const channels = [...byChannel.values()].filter((c) => c.subscribers > 0 || critical.some((k) => k.channel === c.channel)).sort((a, b) => a.channel.localeCompare(b.channel));
  return {
    checkedAt: new Date(now).toISOString(),
    pattern: opts.pattern ?? null,
    nodes: pubsubNodes,
    channels,
    groups: groupChannels(channels),
    patternSubscriptions: pubsubNodes.reduce((n, x) => n + (x.patterns ?? 0), 0),
    critical: critical.map((c) => criticalCheck(c.channel, c.minSubscribers ?? 1, channels.filter((s) => s.channel === c.channel).reduce((n, s) => n + s.subscribers, 0))),
    coverage: await dep.coverage(nodes.filter((n) => n.role === 'master').map((n) => n.address)),
  };
}

async function readNode(client: Redis, pattern: string, critical: string[]): Promise<NodeChannels> {
  const names = ((await client.call('PUBSUB', 'CHANNELS', pattern)) as string[]).map(String);
  const wanted = [...new Set([...names, ...critical])];
  const channels = wanted.length ? numsub((await client.call('PUBSUB', 'NUMSUB', ...wanted)) as unknown[]) : new Map<string, number>();
  const numpat = Number(await client.call('PUBSUB', 'NUMPAT'));
  let shard = new Map<string, number>();
  try {
    const shardNames = ((await client.call('PUBSUB', 'SHARDCHANNELS', pattern)) as string[]).map(String);
    if (shardNames.length) shard = numsub((await client.call('PUBSUB', 'SHARDNUMSUB', ...shardNames)) as unknown[]);
  } catch (err) {
    // Before Redis 7.0 there are no sharded channels to list.
    if (!/unknown subcommand|unknown command/i.test(String((err as Error).message))) throw err;
  }
  return { numpat, channels, shard };
}

function numsub(flat: unknown[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(String(flat[i]), Number(flat[i + 1]));
  return m;
}

function groupChannels(channels: ChannelStat[]): ChannelGroup[] {
  const groups = new Map<string, ChannelGroup>();
  for (const c of channels) {
    const g = groups.get(c.group) ?? { group: c.group, channels: 0, subscribers: 0 };
    g.channels++;
    g.subscribers += c.subscribers;
    groups.set(c.group, g);
  }
  return [...groups.values()].sort((a, b) => b.subscribers - a.subscribers || a.group.localeCompare(b.group));
}
