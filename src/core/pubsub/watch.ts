import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import { connectNode } from '../redis/connect.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { onCancel } from '../cancel.js';
import type { ChannelRate, WatchReport } from './types.js';

/** Payloads kept per channel with --show-payloads. */
const PAYLOADS_PER_CHANNEL = 5;

/**
 * `gridctl pubsub watch PATTERN`: PSUBSCRIBE on a connection of its own for `durationMs`, counting
 * messages and bytes per channel. A PUBLISH reaches every node of a Cluster, so one master is
 * enough. Payloads are kept only when asked for (they may carry user data).
 */
export async function watchChannels(dep: Deployment, opts: { pattern: string; durationMs: number; showPayloads: boolean }): Promise<WatchReport> {
  const [master] = await dep.masterClients();
  const address = master!.address;
  const [host, port] = [address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, ''), Number(address.slice(address.lastIndexOf(':') + 1))];
  let sub: Redis | undefined;
  const counts = new Map<string, ChannelRate>();
  const started = Date.now();
  try {
    sub = await connectNode(dep.spec, { host, port });
    sub.on('pmessageBuffer', (_pattern: Buffer, channelBuf: Buffer, message: Buffer) => {
      const channel = channelBuf.toString('utf8');
      const rate = counts.get(channel) ?? { channel, messages: 0, perSecond: 0, bytes: 0, ...(opts.showPayloads ? { payloads: [] } : {}) };
      rate.messages++;
      rate.bytes += message.length;
      if (rate.payloads && rate.payloads.length < PAYLOADS_PER_CHANNEL) rate.payloads.push(message.toString('utf8'));
      counts.set(channel, rate);
    });
    await sub.psubscribe(opts.pattern);
    await waitOrCancel(opts.durationMs);
  } catch (err) {
    throw classifyRedisError(err, errorContext(dep.spec, address));
  } finally {
    sub?.disconnect();
  }
  const elapsed = Math.max(1, Date.now() - started);
  const channels = [...counts.values()].map((c) => ({ ...c, perSecond: Math.round((c.messages * 1000 * 100) / elapsed) / 100 })).sort((a, b) => b.messages - a.messages || a.channel.localeCompare(b.channel));
  return {
    pattern: opts.pattern,
    node: address,
    durationMs: elapsed,
    messages: channels.reduce((n, c) => n + c.messages, 0),
    channels,
    payloadsShown: opts.showPayloads,
    coverage: await dep.coverage(),
  };
}

/** The watch ends after its duration; Ctrl-C ends it early (exit 2) with the subscription closed. */
function waitOrCancel(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const off = onCancel(async () => done());
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}
