import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import { isPermissionError } from '../redis/errors.js';
import { parseClientList } from '../clients/client-list.js';
import type { BuffersReport, CheckLevel, OutputBufferLimit, SubscriberBuffer } from './types.js';

const DEFAULT_BUFFER_WARN_PERCENT = 50;

/**
 * `gridctl pubsub buffers`: every subscriber's output buffer (CLIENT LIST TYPE pubsub, omem)
 * against `client-output-buffer-limit pubsub` on its node: past the hard limit, or the soft one
 * for its seconds, Redis disconnects it. WARN from warnPercent of the first limit it would hit,
 * FAIL from 90%.
 */
export async function checkSubscriberBuffers(dep: Deployment, opts: { warnPercent?: number } = {}, now = Date.now()): Promise<BuffersReport> {
  const warnPercent = opts.warnPercent ?? DEFAULT_BUFFER_WARN_PERCENT;
  const nodes = (await dep.discover()).filter((n) => n.role !== 'sentinel');
  const results = await dep.forEachNode(nodes, async (client, node) => {
    const limit = await pubsubLimit(client);
    const subs = parseClientList(String(await client.call('CLIENT', 'LIST', 'TYPE', 'pubsub')));
    return { limit, subscribers: subs.map((s) => judge(node.address, s, limit, warnPercent)) };
  });
  const failed = results.find((r) => r.error);
  if (failed) throw failed.error;
  const subscribers = results.flatMap((r) => r.result!.subscribers).sort((a, b) => b.omem - a.omem);
  return {
    checkedAt: new Date(now).toISOString(),
    warnPercent,
    limits: results.map((r) => ({ node: r.node.address, limit: r.result!.limit })),
    subscribers,
    flagged: subscribers.filter((s) => s.status !== 'PASS').length,
    coverage: await dep.coverage(nodes.filter((n) => n.role === 'master').map((n) => n.address)),
  };
}

function judge(node: string, c: ReturnType<typeof parseClientList>[number], limit: OutputBufferLimit | null, warnPercent: number): SubscriberBuffer {
  const cap = limit ? (limit.softBytes > 0 ? limit.softBytes : limit.hardBytes) : 0;
  const usedPercent = cap > 0 ? (100 * c.omem) / cap : null;
  const status: CheckLevel = usedPercent === null ? 'PASS' : usedPercent >= 90 ? 'FAIL' : usedPercent >= warnPercent ? 'WARN' : 'PASS';
  return { node, id: c.id, addr: c.addr, name: c.name, user: c.user, channels: c.sub, patterns: c.psub, shardChannels: c.ssub, omem: c.omem, totMem: c.totMem, usedPercent, status };
}

/** CONFIG GET client-output-buffer-limit -> the pubsub class; null when CONFIG is not allowed. */
async function pubsubLimit(client: Redis): Promise<OutputBufferLimit | null> {
  try {
    const reply = (await client.call('CONFIG', 'GET', 'client-output-buffer-limit')) as string[];
    return parseOutputBufferLimit(String(reply[1] ?? ''));
  } catch (err) {
    if (isPermissionError(err)) return null;
    throw err;
  }
}

/** "normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60" -> the pubsub class. */
export function parseOutputBufferLimit(value: string): OutputBufferLimit | null {
  const parts = value.trim().split(/\s+/);
  const i = parts.indexOf('pubsub');
  if (i < 0 || parts.length < i + 4) return null;
  return { hardBytes: Number(parts[i + 1]), softBytes: Number(parts[i + 2]), softSeconds: Number(parts[i + 3]) };
}
