import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import type { GridctlConfig } from '../config/schema.js';
import { classifyRedisError, errorContext, isPermissionError } from '../redis/errors.js';
import { scanNode } from '../redis/scan.js';
import { idAgeMs, pairs } from './stream-id.js';
import { streamSetting } from './settings.js';
import type { StreamListReport, StreamSummary } from './types.js';

/**
 * `gridctl stream list`: every stream on every master (SCAN TYPE stream), each page described in
 * one pipeline (XINFO STREAM, MEMORY USAGE). MEMORY USAGE refused by the ACL leaves memory null.
 */
export async function listStreams(dep: Deployment, config: GridctlConfig, opts: { match?: string } = {}, now = Date.now()): Promise<StreamListReport> {
  const masters = await dep.masterClients();
  const perMaster = await Promise.all(
    masters.map(async (m) => {
      try {
        const found: StreamSummary[] = [];
        for await (const page of scanNode(m.client, { type: 'stream', count: 1000, ...(opts.match ? { match: opts.match } : {}) })) {
          found.push(...(await describePage(m.client, page.map((k) => k.toString('utf8')), m.address, config, now)));
        }
        return found;
      } catch (err) {
        throw classifyRedisError(err, errorContext(dep.spec, m.address));
      }
    }),
  );
  const seen = new Set<string>();
  const streams = perMaster.flat().filter((s) => !seen.has(s.stream) && seen.add(s.stream)).sort((a, b) => a.stream.localeCompare(b.stream));
  return {
    checkedAt: new Date(now).toISOString(),
    match: opts.match ?? null,
    streams,
    totals: { streams: streams.length, entries: streams.reduce((n, s) => n + s.length, 0), memoryBytes: streams.reduce((n, s) => n + (s.memoryBytes ?? 0), 0) },
    coverage: await dep.coverage(masters.map((m) => m.address)),
  };
}

async function describePage(client: Redis, keys: string[], node: string, config: GridctlConfig, now: number): Promise<StreamSummary[]> {
  const pipe = client.pipeline();
  for (const key of keys) {
    pipe.call('XINFO', 'STREAM', key);
    pipe.call('MEMORY', 'USAGE', key);
  }
  const replies = (await pipe.exec()) ?? [];
  const out: StreamSummary[] = [];
  keys.forEach((stream, i) => {
    const [infoErr, infoReply] = replies[2 * i] ?? [];
    const [memErr, mem] = replies[2 * i + 1] ?? [];
    // Deleted between SCAN and XINFO: not a stream any more.
    if (infoErr && /no such key/i.test(infoErr.message)) return;
    if (infoErr) throw infoErr;
    if (memErr && !isPermissionError(memErr)) throw memErr;
    const info = pairs(infoReply);
    const firstId = firstOf(info['first-entry']);
    const lastId = firstOf(info['last-entry']);
    out.push({
      stream,
      node,
      length: Number(info.length ?? 0),
      firstId,
      lastId,
      firstAgeMs: idAgeMs(firstId, now),
      lastAgeMs: idAgeMs(lastId, now),
      groups: Number(info.groups ?? 0),
      maxLen: streamSetting(config, stream, 'maxLen') ?? null,
      memoryBytes: memErr || mem === null ? null : Number(mem),
    });
  });
  return out;
}

function firstOf(entry: unknown): string | null {
  return Array.isArray(entry) && entry.length ? String(entry[0]) : null;
}
