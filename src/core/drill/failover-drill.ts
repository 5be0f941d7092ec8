import { randomBytes } from 'node:crypto';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';
import type { Deployment } from '../redis/deployment.js';
import { connectMain, type Endpoint } from '../redis/connect.js';
import type { LocalState } from '../local/state.js';
import { connectGatewayClient, type GatewayClient } from './gateway-client.js';
import { DrillReader, DrillWriter, summarizeClient, type ClientSummary, type TrafficEvent } from './traffic.js';
import { demoteOldMaster, parseEndpoint, pauseWrites, planFailover, sendFailover, waitForNewMaster, waitHealthy, type FailoverMethod, type FailoverPlan, type HealthAfter } from './failover-trigger.js';
import { killLocalNode, restartLocalNode } from './local-kill.js';

export interface FailoverDrillOptions {
  dryRun: boolean;
  /** SIGKILL the master of this local `gridctl up` deployment instead of a coordinated failover. */
  kill?: LocalState;
  failback: boolean;
  warmupMs: number;
  settleMs: number;
  failoverTimeoutMs: number;
  writesPerSecond: number;
  waitTimeoutMs: number;
  /** Asked once the plan is known; false cancels (exit 2). */
  confirm(plan: FailoverPlan): Promise<boolean>;
  onProgress?(message: string): void;
}

export interface FailoverPhase {
  name: 'failover' | 'failback';
  method: FailoverMethod;
  from: string;
  /** The new master; absent when none took over within the timeout. */
  to?: string;
  triggeredAt: string;
  /** From the trigger until the new master was seen serving (sentinels / cluster say so, ROLE master). */
  failoverSeconds?: number;
  /** From the trigger until a write sent after the switch (and after the last failed one) succeeded. */
  writesBackAfterSeconds?: number;
  longestWriteGapSeconds: number;
  failedWrites: number;
  failedReads: number;
}

export interface FailoverDrillReport {
  ok: boolean;
  dryRun: boolean;
  topology: 'sentinel' | 'cluster';
  plan: Omit<FailoverPlan, 'nodes'>;
  phases: FailoverPhase[];
  writer: ClientSummary & { written: number; acknowledged: number; unacknowledged: number };
  reader: ClientSummary;
  /** Writes WAIT 1 acknowledged that the master does not hold after the drill. */
  lostAcknowledged: number;
  lostKeys: string[];
  allReconnected: boolean;
  /** Times a client's ioredis ended on its own during the failover and was started again (gateway-client.ts). */
  clientRestarts: { writer: number; reader: number };
  healthyAfter: { healthy: boolean; detail: string };
  /** The deployment failed over again by itself after a failover of the drill (its new master stalled). */
  unplannedFailovers: Array<{ from: string; to: string }>;
  /** Exactly what the drill changed on the deployment, in order. */
  changes: string[];
  keyPrefix: string;
  durationSeconds: number;
}

/**
 * Fail a Sentinel or Cluster deployment over under a gateway-like writer and reader and measure
 * what the gateway would see: the failover time, failed commands, acknowledged writes lost, and
 * whether both clients reconnected; optionally fail back; then wait until the deployment is
 * healthy again and delete the drill's keys.
 */
export async function runFailoverDrill(dep: Deployment, opts: FailoverDrillOptions): Promise<FailoverDrillReport> {
  const started = Date.now();
  const keyPrefix = `drill:{failover-${randomBytes(4).toString('hex')}}:`;
  const plan = await planFailover(dep, keyPrefix, Boolean(opts.kill));
  const { nodes: _nodes, ...shownPlan } = plan;
  const report: FailoverDrillReport = {
    ok: true,
    dryRun: opts.dryRun,
    topology: plan.topology,
    plan: shownPlan,
    phases: [],
    writer: { ...summarizeClient([], [], started, undefined), written: 0, acknowledged: 0, unacknowledged: 0 },
    reader: summarizeClient([], [], started, undefined),
    lostAcknowledged: 0,
    lostKeys: [],
    allReconnected: true,
    clientRestarts: { writer: 0, reader: 0 },
    healthyAfter: { healthy: true, detail: 'dry run: nothing was changed' },
    unplannedFailovers: [],
    changes: [],
    keyPrefix,
    durationSeconds: 0,
  };
  if (opts.dryRun) return finish(report, started);
  if (!(await opts.confirm(plan))) throw new GridctlError('CANCELLED', 'failover drill declined; nothing was changed');

  const spec = dep.spec;
  const clients: GatewayClient[] = [];
  let writer: DrillWriter | undefined;
  let reader: DrillReader | undefined;
  const stopTraffic = async () => {
    await Promise.all([writer?.stop(), reader?.stop()]);
    if (clients.length === 2) report.clientRestarts = { writer: clients[0]!.restarts(), reader: clients[1]!.restarts() };
    for (const c of clients.splice(0)) c.close();
  };
  const removeCancel = onCancel(async () => {
    await stopTraffic();
    if (writer) await deleteDrillKeys(dep, keyPrefix, writer.written).catch(() => undefined);
  });
  try {
    const interval = 1000 / opts.writesPerSecond;
    const commandTimeout = opts.waitTimeoutMs + spec.timeoutMs;
    clients.push(await connectGatewayClient(spec, 'gridctl-drill-writer', commandTimeout), await connectGatewayClient(spec, 'gridctl-drill-reader', commandTimeout));
    writer = new DrillWriter(clients[0]!.client, interval, keyPrefix, opts.waitTimeoutMs);
    reader = new DrillReader(clients[1]!.client, interval, writer);
    writer.start();
    reader.start();
    report.changes.push(`wrote keys ${keyPrefix}<n> with SET + WAIT 1 through the deployment (${opts.writesPerSecond}/s), read them with GET`);
    await sleep(opts.warmupMs);

    const rounds: Round[] = [{ name: 'failover', ...(plan.promote ? { promote: plan.promote } : {}) }];
    if (opts.failback) rounds.push({ name: 'failback', promote: plan.master });
    const { master, bounds } = await runRounds(spec, plan, rounds, writer, report, opts);
    await stopTraffic();
    summarize(report, writer, reader, bounds);
    // Healthy first: until every node agrees on the slot owner (a restarted master claims its old
    // slots for a moment) reads may bounce between nodes.
    const { healthy, detail } = report.phases.every((p) => p.to)
      ? await healthyAfter(spec, plan, master, report, opts)
      : { healthy: false, detail: `no new master within ${opts.failoverTimeoutMs / 1000} s` };
    report.healthyAfter = { healthy, detail };
    const settled = Date.now() + opts.failoverTimeoutMs;
    const lost = await retrying(() => lostAcknowledged(dep, keyPrefix, writer!.acked), settled);
    report.lostAcknowledged = lost.length;
    report.lostKeys = lost.slice(0, 10);
    report.changes.push(`deleted the ${await retrying(() => deleteDrillKeys(dep, keyPrefix, writer!.written), settled)} drill keys`);
    report.ok = report.phases.length === rounds.length && report.phases.every((p) => p.to && p.writesBackAfterSeconds !== undefined) && report.lostAcknowledged === 0 && report.allReconnected && report.healthyAfter.healthy;
    return finish(report, started);
  } finally {
    removeCancel();
    await stopTraffic();
  }
}

type Round = { name: FailoverPhase['name']; promote?: string };
type Bound = { t0: number; promotedAt?: number };

/** The rounds, one after the other; a round whose failover does not happen ends the drill. */
async function runRounds(spec: Deployment['spec'], plan: FailoverPlan, rounds: Round[], writer: DrillWriter, report: FailoverDrillReport, opts: FailoverDrillOptions): Promise<{ master: string; bounds: Bound[] }> {
  let master = plan.master;
  const bounds: Bound[] = [];
  for (const round of rounds) {
    const bound: Bound = { t0: Date.now() };
    bounds.push(bound);
    const next = await runRound(spec, plan, round, master, bound, writer, report, opts);
    if (!next) break;
    master = next;
    if (round === rounds.at(-1)) break;
    // The next round needs a replica in sync: a Cluster replica whose link never came up is not eligible.
    const health = await healthyAfter(spec, plan, master, report, opts);
    if (!health.healthy) break;
    master = health.master;
  }
  return { master, bounds };
}

/** Wait until the deployment is healthy again; a master other than the drill's new one is recorded as an unplanned failover. */
async function healthyAfter(spec: Deployment['spec'], plan: FailoverPlan, master: string, report: FailoverDrillReport, opts: FailoverDrillOptions): Promise<HealthAfter> {
  const health = await waitHealthy(spec, plan, master, Date.now() + opts.failoverTimeoutMs);
  if (health.master !== master) report.unplannedFailovers.push({ from: master, to: health.master });
  return health;
}

/** Trigger, wait for the new master, bring a killed node back, wait until writes are back; the new master. */
async function runRound(spec: Deployment['spec'], plan: FailoverPlan, round: Round, master: string, bound: Bound, writer: DrillWriter, report: FailoverDrillReport, opts: FailoverDrillOptions): Promise<string | undefined> {
  const t0 = bound.t0;
  const phase: FailoverPhase = { name: round.name, method: plan.method, from: master, triggeredAt: new Date(t0).toISOString(), longestWriteGapSeconds: 0, failedWrites: 0, failedReads: 0 };
  report.phases.push(phase);
  const restart = await trigger(spec, plan, round, master, opts, report.changes);
  const next = await waitForPromotion(spec, plan, round, master, t0 + opts.failoverTimeoutMs, report.changes);
  if (!next) {
    if (restart) report.changes.push(`left ${master} down: no replica took over, and without persistence it would come back empty as the master`);
    return undefined;
  }
  bound.promotedAt = Date.now();
  phase.to = next;
  phase.failoverSeconds = (bound.promotedAt - t0) / 1000;
  // Only once another node serves its slots: a local node restarts empty and must rejoin as a replica
  // (a Sentinel's, of the new master from its first moment; a Cluster node learns its role by gossip).
  if (restart && plan.topology === 'sentinel') report.changes.push(`started ${master} again (pid ${await restart(parseEndpoint(next))}) as a replica of ${next}`);
  else if (restart) report.changes.push(`started ${master} again (pid ${await restart()}); it rejoins as a replica`);
  else if (plan.topology === 'sentinel') {
    await demoteOldMaster(spec, master, next);
    report.changes.push(`REPLICAOF ${next} on the old master ${master} (as Sentinel would, some seconds later), then CLIENT UNPAUSE`);
  }
  await untilWritesBack(writer, bound.promotedAt, t0 + opts.failoverTimeoutMs);
  await sleep(opts.settleMs);
  return next;
}

/** A manual CLUSTER FAILOVER gives up after 5 s (Redis' own limit) when it gets no votes. */
const CLUSTER_FAILOVER_RESEND_MS = 6000;

/**
 * The new master, or undefined at the deadline. A Cluster master votes for the replicas of one
 * master at most once per 2 x cluster-node-timeout, so a manual failover soon after another of the
 * same shard is refused: CLUSTER FAILOVER is sent again until the deadline.
 */
async function waitForPromotion(spec: Deployment['spec'], plan: FailoverPlan, round: Round, master: string, deadline: number, changes: string[]): Promise<string | undefined> {
  for (;;) {
    const resend = plan.method === 'CLUSTER FAILOVER' ? Math.min(deadline, Date.now() + CLUSTER_FAILOVER_RESEND_MS) : deadline;
    const next = await waitForNewMaster(spec, plan, master, resend);
    if (next || Date.now() >= deadline) return next;
    await sendFailover(spec, plan, round.promote);
    changes.push(`CLUSTER FAILOVER on ${round.promote} again (no election won within ${CLUSTER_FAILOVER_RESEND_MS / 1000} s)`);
  }
}

/** Fire one round; for --kill, the function that starts the killed master again. */
async function trigger(spec: Deployment['spec'], plan: FailoverPlan, round: Round, master: string, opts: FailoverDrillOptions, changes: string[]): Promise<((replicaOf?: Endpoint) => Promise<number>) | undefined> {
  opts.onProgress?.(`${round.name}: ${plan.method} (master ${master})`);
  if (opts.kill) {
    const state = opts.kill;
    const killed = await killLocalNode(state, master);
    changes.push(`killed the master ${master} (SIGKILL, pid ${killed.node.pid})`);
    return (replicaOf) => restartLocalNode(state, killed, replicaOf);
  }
  if (plan.topology === 'sentinel') {
    await pauseWrites(spec, master, opts.failoverTimeoutMs);
    changes.push(`CLIENT PAUSE ${opts.failoverTimeoutMs} WRITE on the master ${master}`);
  }
  await sendFailover(spec, plan, round.promote);
  changes.push(plan.topology === 'sentinel' ? `SENTINEL FAILOVER ${spec.masterName} (master was ${master})` : `CLUSTER FAILOVER on ${round.promote} (replica of ${master})`);
  return undefined;
}

/** Wait until the writer has had a success on a write sent after the switch (or the deadline). */
async function untilWritesBack(writer: DrillWriter, since: number, deadline: number): Promise<void> {
  const back = () => writer.events.some((e) => e.ok && e.start >= since);
  while (!back() && Date.now() < deadline) await sleep(20);
}

function summarize(report: FailoverDrillReport, writer: DrillWriter, reader: DrillReader, bounds: Bound[]): void {
  const first = bounds[0]!;
  const last = bounds.at(-1)!;
  report.writer = { ...summarizeClient(writer.events, writer.errors, first.t0, last.promotedAt), written: writer.written, acknowledged: writer.acked.length, unacknowledged: writer.unacknowledged };
  report.reader = summarizeClient(reader.events, reader.errors, first.t0, last.promotedAt);
  report.allReconnected = report.writer.servedAfterFailover && report.reader.servedAfterFailover;
  bounds.forEach((b, i) => {
    const until = bounds[i + 1]?.t0 ?? Infinity;
    const inPhase = (events: TrafficEvent[]) => events.filter((e) => e.end < until);
    const w = summarizeClient(inPhase(writer.events), [], b.t0, b.promotedAt);
    const phase = report.phases[i]!;
    phase.longestWriteGapSeconds = w.longestGapMs / 1000;
    phase.failedWrites = inPhase(writer.events).filter((e) => !e.ok && e.end >= b.t0).length;
    phase.failedReads = inPhase(reader.events).filter((e) => !e.ok && e.end >= b.t0).length;
    if (w.backAfterMs !== undefined) phase.writesBackAfterSeconds = w.backAfterMs / 1000;
  });
}

/** Acknowledged writes missing (or different) on the master now serving them, read with a fresh connection. */
async function lostAcknowledged(dep: Deployment, prefix: string, acked: readonly number[]): Promise<string[]> {
  const client = await connectMain(dep.spec);
  try {
    const lost: string[] = [];
    for (let i = 0; i < acked.length; i += 500) {
      const chunk = acked.slice(i, i + 500);
      const values = await client.mget(...chunk.map((n) => `${prefix}${n}`));
      chunk.forEach((n, j) => {
        if (values[j] !== String(n)) lost.push(`${prefix}${n}`);
      });
    }
    return lost;
  } finally {
    client.disconnect();
  }
}

/** UNLINK every key the writer may have written (all in one slot); the number that existed. */
async function deleteDrillKeys(dep: Deployment, prefix: string, written: number): Promise<number> {
  const client = await connectMain(dep.spec);
  try {
    let deleted = 0;
    for (let i = 1; i <= written; i += 500) {
      const keys = Array.from({ length: Math.min(500, written - i + 1) }, (_, j) => `${prefix}${i + j}`);
      deleted += await client.unlink(...keys);
    }
    return deleted;
  } finally {
    client.disconnect();
  }
}

/** Run fn until it succeeds or the deadline passes (then its last error is thrown). */
async function retrying<T>(fn: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

function finish(report: FailoverDrillReport, started: number): FailoverDrillReport {
  report.durationSeconds = (Date.now() - started) / 1000;
  return report;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
