import { isPermissionError } from '../redis/errors.js';
import { Redis } from 'ioredis';
import type { SloConfig } from '../config/schema.js';
import { baseRedisOptions, endpointLabel } from '../redis/connect.js';
import { num, parseInfo, parseInfoFields } from '../redis/info.js';
import type { NodeInfo } from '../redis/deployment.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { fmtBytes, fmtMs, pct, percentile } from './stats.js';
import type { HealthCheck } from './types.js';
import { describeServer, identityFromInfo } from '../compat/server-identity.js';

export interface CheckContext {
  slo: Required<SloConfig>;
  spec: ConnectionSpec;
}


/** Run a check; a NOPERM becomes SKIP naming the missing permission instead of failing the report. */
async function guarded(check: string, fn: () => Promise<HealthCheck>): Promise<HealthCheck> {
  try {
    return await fn();
  } catch (err) {
    if (isPermissionError(err)) return { check, status: 'SKIP', value: 'no permission', detail: String((err as Error).message) };
    return { check, status: 'FAIL', value: 'error', detail: String((err as Error).message) };
  }
}

export async function latencyCheck(client: Redis, ctx: CheckContext): Promise<HealthCheck> {
  const samples: number[] = [];
  for (let i = 0; i < ctx.slo.pingSamples; i++) {
    const t0 = process.hrtime.bigint();
    await client.ping();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  return {
    check: 'latency',
    status: p99 <= ctx.slo.latencyMs ? 'PASS' : 'WARN',
    value: `p50 ${fmtMs(p50)} p99 ${fmtMs(p99)} (${samples.length} PINGs)`,
    threshold: `p99 < ${ctx.slo.latencyMs}ms`,
    metrics: { ping_p50_seconds: p50 / 1000, ping_p99_seconds: p99 / 1000 },
  };
}

function replicationCheck(info: Record<string, string>, ctx: CheckContext): HealthCheck {
  if (info.role === 'slave') {
    const link = info.master_link_status ?? 'unknown';
    const ioAgo = num(info.master_last_io_seconds_ago, -1);
    const value = `replica of ${info.master_host}:${info.master_port}, link ${link}, last IO ${ioAgo}s ago`;
    if (link !== 'up') return { check: 'replication', status: 'FAIL', value, threshold: 'link up', detail: `link down for ${info.master_link_down_since_seconds ?? '?'}s`, metrics: { link_up: 0 } };
    const status = ioAgo > ctx.slo.replicationLagSeconds ? 'WARN' : 'PASS';
    return { check: 'replication', status, value, threshold: `link up, last IO <= ${ctx.slo.replicationLagSeconds}s`, metrics: { link_up: 1, last_io_seconds: ioAgo } };
  }
  const replicas = Object.entries(info)
    .filter(([k]) => /^slave\d+$/.test(k))
    .map(([, v]) => parseInfoFields(v));
  const bad = replicas.filter((r) => r.state !== 'online' || num(r.lag) > ctx.slo.replicationLagSeconds);
  const value = `master, ${replicas.length} replica${replicas.length === 1 ? '' : 's'}${replicas.length ? ': ' + replicas.map((r) => `${r.ip}:${r.port} ${r.state} lag ${r.lag}s`).join(', ') : ''}`;
  return {
    check: 'replication',
    status: bad.length ? 'WARN' : 'PASS',
    value,
    threshold: `replicas online, lag <= ${ctx.slo.replicationLagSeconds}s`,
    ...(bad.length ? { detail: `${bad.length} replica(s) not online or lagging` } : {}),
    metrics: { connected_replicas: replicas.length },
  };
}

function memoryCheck(info: Record<string, string>, ctx: CheckContext): HealthCheck {
  const used = num(info.used_memory);
  const max = num(info.maxmemory);
  const policy = info.maxmemory_policy ?? 'unknown';
  if (!max) {
    return { check: 'memory', status: 'WARN', value: `${fmtBytes(used)} used, no maxmemory (${policy})`, threshold: `< ${ctx.slo.memoryPercent}% of maxmemory`, detail: 'no maxmemory: the server can grow until the OS kills it', metrics: { used_bytes: used, max_bytes: 0 } };
  }
  const ratio = used / max;
  const status = ratio >= 0.9 ? 'FAIL' : ratio * 100 >= ctx.slo.memoryPercent ? 'WARN' : 'PASS';
  return {
    check: 'memory',
    status,
    value: `${fmtBytes(used)} of ${fmtBytes(max)} (${pct(ratio)}, ${policy})`,
    threshold: `< ${ctx.slo.memoryPercent}% (FAIL at 90%)`,
    metrics: { used_bytes: used, max_bytes: max, used_ratio: ratio },
  };
}

function fragmentationCheck(info: Record<string, string>, ctx: CheckContext): HealthCheck {
  const ratio = num(info.mem_fragmentation_ratio);
  const rss = num(info.used_memory_rss);
  // Small instances always look fragmented (allocator overhead dominates); only judge above 64 MB.
  const meaningful = rss > 64 * 1024 * 1024;
  const status = meaningful && ratio > ctx.slo.fragmentationRatio ? 'WARN' : 'PASS';
  return {
    check: 'fragmentation',
    status,
    value: `ratio ${ratio.toFixed(2)}, rss ${fmtBytes(rss)}${meaningful ? '' : ' (too small to judge)'}`,
    threshold: `<= ${ctx.slo.fragmentationRatio}`,
    metrics: { fragmentation_ratio: ratio },
  };
}

function hitRateCheck(info: Record<string, string>, ctx: CheckContext): HealthCheck {
  const hits = num(info.keyspace_hits);
  const misses = num(info.keyspace_misses);
  const total = hits + misses;
  if (total < 100) return { check: 'hit-rate', status: 'PASS', value: `n/a (${total} lookups)`, threshold: `> ${ctx.slo.hitRatePercent}%`, metrics: { hits, misses } };
  const ratio = hits / total;
  return {
    check: 'hit-rate',
    status: ratio * 100 >= ctx.slo.hitRatePercent ? 'PASS' : 'WARN',
    value: `${pct(ratio)} (${hits} hits, ${misses} misses)`,
    threshold: `> ${ctx.slo.hitRatePercent}%`,
    metrics: { hit_ratio: ratio, hits, misses },
  };
}

function counterCheck(check: string, value: number, what: string): HealthCheck {
  return { check, status: value > 0 ? 'WARN' : 'PASS', value: `${value} ${what}`, threshold: '0', metrics: { [check.replace(/-/g, '_')]: value } };
}

function clientsCheck(info: Record<string, string>, ctx: CheckContext): HealthCheck {
  const connected = num(info.connected_clients);
  const max = num(info.maxclients, 10000);
  const ratio = connected / max;
  const status = ratio >= 0.95 ? 'FAIL' : ratio * 100 >= ctx.slo.clientsPercent ? 'WARN' : 'PASS';
  return { check: 'clients', status, value: `${connected} of ${max} (${pct(ratio)})`, threshold: `< ${ctx.slo.clientsPercent}%`, metrics: { connected_clients: connected, maxclients: max } };
}

function persistenceCheck(info: Record<string, string>, ctx: CheckContext): HealthCheck {
  const aof = info.aof_enabled === '1';
  const bgsave = info.rdb_last_bgsave_status ?? 'ok';
  const ageSec = Math.max(0, Math.round(Date.now() / 1000 - num(info.rdb_last_save_time)));
  const changes = num(info.rdb_changes_since_last_save);
  const value = `rdb last save ${Math.round(ageSec / 60)}m ago (${bgsave}), ${changes} unsaved changes, aof ${aof ? `on (${info.aof_last_write_status})` : 'off'}`;
  const metrics = { last_save_age_seconds: ageSec, changes_since_save: changes, aof_enabled: aof ? 1 : 0 };
  if (bgsave !== 'ok') return { check: 'persistence', status: 'FAIL', value, detail: 'last background save failed', metrics };
  if (aof && info.aof_last_write_status !== 'ok') return { check: 'persistence', status: 'FAIL', value, detail: 'AOF writes are failing', metrics };
  if (!aof && changes > 0 && ageSec > ctx.slo.lastSaveMaxAgeHours * 3600) {
    return { check: 'persistence', status: 'WARN', value, threshold: `a save within ${ctx.slo.lastSaveMaxAgeHours}h`, detail: 'changes not persisted for too long (is `save` configured?)', metrics };
  }
  return { check: 'persistence', status: 'PASS', value, threshold: `a save within ${ctx.slo.lastSaveMaxAgeHours}h or AOF`, metrics };
}

/** Authentication failures: INFO acl_access_denied_auth (7.2+), else ACL LOG entries with reason auth. */
async function authFailuresCheck(client: Redis, info: Record<string, string>): Promise<HealthCheck> {
  let failures: number;
  let source: string;
  if (info.acl_access_denied_auth !== undefined) {
    failures = num(info.acl_access_denied_auth);
    source = 'since start (INFO)';
  } else {
    const log = (await client.call('ACL', 'LOG', '128')) as unknown[][];
    failures = log
      .map((entry) => {
        const o: Record<string, unknown> = {};
        for (let i = 0; i + 1 < entry.length; i += 2) o[String(entry[i])] = entry[i + 1];
        return o;
      })
      .filter((o) => o.reason === 'auth')
      .reduce((sum, o) => sum + Number(o.count ?? 1), 0);
    source = 'recent (ACL LOG)';
  }
  return { check: 'auth-failures', status: failures > 0 ? 'WARN' : 'PASS', value: `${failures} ${source}`, threshold: '0', metrics: { auth_failures: failures } };
}

/**
 * Can anyone log in without a password? Probe with a fresh unauthenticated connection (works
 * for any user), then refine with ACL GETUSER default when the user may run it.
 */
async function defaultUserCheck(client: Redis, node: NodeInfo, ctx: CheckContext): Promise<HealthCheck> {
  const opts = baseRedisOptions({ timeoutMs: ctx.spec.timeoutMs }, {}, ctx.spec.tls);
  const probe = new Redis({ ...opts, host: node.host, port: node.port, enableReadyCheck: false });
  probe.on('error', () => undefined);
  let openToAll = false;
  try {
    await probe.connect();
    openToAll = (await probe.ping()) === 'PONG';
  } catch {
    openToAll = false;
  } finally {
    probe.disconnect();
  }
  if (openToAll) {
    return { check: 'default-user', status: 'FAIL', value: 'default user accepts connections without a password', threshold: 'default user off', detail: 'set `user default off` (or a strong password) — see gridctl check AUTH001' };
  }
  try {
    const user = (await client.call('ACL', 'GETUSER', 'default')) as unknown[];
    const flags = (user[user.indexOf('flags') + 1] as string[]) ?? [];
    if (flags.includes('on')) return { check: 'default-user', status: 'WARN', value: 'default user enabled (password required)', threshold: 'default user off' };
    return { check: 'default-user', status: 'PASS', value: 'default user off', threshold: 'default user off' };
  } catch (err) {
    if (isPermissionError(err)) return { check: 'default-user', status: 'PASS', value: 'password required (ACL GETUSER not permitted to refine)', threshold: 'no password-less access' };
    throw err;
  }
}

function tlsCheck(ctx: CheckContext): HealthCheck {
  return ctx.spec.tls
    ? { check: 'tls', status: 'PASS', value: 'connection uses TLS', threshold: 'TLS on every connection' }
    : { check: 'tls', status: 'WARN', value: 'plaintext connection', threshold: 'TLS on every connection', detail: 'production connections must use TLS (rediss://)' };
}

function clusterNodeCheck(info: Record<string, string>): HealthCheck {
  const state = info.cluster_state ?? 'unknown';
  const assigned = num(info.cluster_slots_assigned);
  const pfail = num(info.cluster_slots_pfail);
  const fail = num(info.cluster_slots_fail);
  const bad = state !== 'ok' || fail > 0 || pfail > 0 || assigned !== 16384;
  return {
    check: 'cluster',
    status: bad ? 'FAIL' : 'PASS',
    value: `state ${state}, slots ${num(info.cluster_slots_ok)} ok / ${pfail} pfail / ${fail} fail of ${assigned} assigned, ${info.cluster_known_nodes} nodes`,
    threshold: 'state ok, 16384 slots ok',
    metrics: { cluster_state_ok: state === 'ok' ? 1 : 0, slots_ok: num(info.cluster_slots_ok), slots_pfail: pfail, slots_fail: fail },
  };
}

/** Every check for a master or replica. INFO itself must be permitted: without it there is nothing to judge. */
export async function checkDataNode(client: Redis, node: NodeInfo, ctx: CheckContext, topology: string): Promise<HealthCheck[]> {
  const info = parseInfo(await client.info('everything').catch(async (err) => {
    // `INFO everything` is one command; some ACLs allow only plain INFO.
    if (isPermissionError(err)) throw err;
    return client.info();
  }));
  const checks: HealthCheck[] = [{ check: 'reachable', status: 'PASS', value: `PONG from ${endpointLabel(node)} (${describeServer(identityFromInfo(info))})` }];
  checks.push(await guarded('latency', () => latencyCheck(client, ctx)));
  checks.push(replicationCheck(info, ctx));
  checks.push(memoryCheck(info, ctx));
  checks.push(fragmentationCheck(info, ctx));
  checks.push(hitRateCheck(info, ctx));
  checks.push(counterCheck('evicted-keys', num(info.evicted_keys), 'keys evicted since start'));
  checks.push(counterCheck('rejected-connections', num(info.rejected_connections), 'connections rejected since start'));
  checks.push(clientsCheck(info, ctx));
  checks.push(persistenceCheck(info, ctx));
  checks.push(await guarded('auth-failures', () => authFailuresCheck(client, info)));
  checks.push(await guarded('default-user', () => defaultUserCheck(client, node, ctx)));
  checks.push(tlsCheck(ctx));
  if (topology === 'cluster') {
    checks.push(await guarded('cluster', async () => clusterNodeCheck(parseInfo((await client.call('CLUSTER', 'INFO')) as string))));
  }
  return checks;
}

export interface SentinelView {
  masterAddress: string | null;
}

/** Checks for one Sentinel; also returns the master it believes in, for the agreement check. */
export async function checkSentinelNode(client: Redis, ctx: CheckContext, masterName: string): Promise<{ checks: HealthCheck[]; view: SentinelView }> {
  const checks: HealthCheck[] = [{ check: 'reachable', status: 'PASS', value: 'PONG' }];
  checks.push(await guarded('latency', () => latencyCheck(client, ctx)));
  const addr = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as [string, string] | null;
  const masterAddress = addr ? endpointLabel({ host: addr[0], port: Number(addr[1]) }) : null;
  if (!addr) {
    checks.push({ check: 'master', status: 'FAIL', value: `does not monitor "${masterName}"` });
    return { checks, view: { masterAddress } };
  }
  const flat = (await client.call('SENTINEL', 'MASTER', masterName)) as string[];
  const m: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) m[flat[i]!] = flat[i + 1]!;
  const flags = m.flags ?? '';
  checks.push({
    check: 'master',
    status: /o_down|s_down/.test(flags) ? 'FAIL' : 'PASS',
    value: `${masterAddress} (${flags})`,
    threshold: 'master not down',
  });
  checks.push(
    await guarded('quorum', async () => {
      try {
        const r = String(await client.call('SENTINEL', 'CKQUORUM', masterName));
        return { check: 'quorum', status: 'PASS', value: r.replace(/^OK\s*/, ''), threshold: `quorum ${m.quorum} reachable` };
      } catch (err) {
        if (isPermissionError(err)) throw err;
        return { check: 'quorum', status: 'FAIL', value: String((err as Error).message), threshold: `quorum ${m.quorum} reachable` };
      }
    }),
  );
  const sentinels = num(m['num-other-sentinels']) + 1;
  checks.push({ check: 'sentinels', status: sentinels >= 3 ? 'PASS' : 'WARN', value: `${sentinels} sentinels seen`, threshold: '>= 3', metrics: { sentinels } });
  const replicas = num(m['num-slaves']);
  checks.push({ check: 'replicas', status: replicas >= 1 ? 'PASS' : 'WARN', value: `${replicas} replicas seen`, threshold: '>= 1', metrics: { replicas } });
  return { checks, view: { masterAddress } };
}
