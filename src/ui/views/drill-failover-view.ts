import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c } from '../colors.js';
import type { FailoverDrillReport } from '../../core/drill/failover-drill.js';

const seconds = (s: number | undefined) => (s === undefined ? 'never' : `${s.toFixed(2)} s`);

/** `drill failover`: the verdict, each phase's timings, the clients, and exactly what was changed. */
export function renderFailoverDrill(r: FailoverDrillReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  const p = r.plan;
  if (r.dryRun) {
    const how = p.method === 'CLUSTER FAILOVER' ? `CLUSTER FAILOVER on ${p.promote}` : p.method === 'SIGKILL' ? `SIGKILL of ${p.master}, then restart` : `SENTINEL FAILOVER via ${p.via} (the master's writes paused meanwhile)`;
    out.print(`${tty ? c().cyan('DRY RUN') : 'DRY RUN'}: nothing was changed. Would write ${r.keyPrefix}<n> keys and fail ${r.topology} master ${p.master} (replicas ${p.replicas.join(', ')}) over: ${how}${p.slot !== undefined ? ` (slot ${p.slot})` : ''}.`);
    return;
  }
  const rows: Array<Array<string | number>> = r.phases.map((ph) => [ph.name, `${ph.from} -> ${ph.to ?? 'none'}`, ph.method, seconds(ph.failoverSeconds), seconds(ph.writesBackAfterSeconds), seconds(ph.longestWriteGapSeconds), ph.failedWrites, ph.failedReads]);
  if (tty) out.print(`${r.ok ? c().green('DRILL PASSED') : c().red('DRILL FAILED')}  ${r.topology} failover drill, ${r.durationSeconds.toFixed(1)} s`);
  out.print(renderTable(tty ? ['PHASE', 'MASTER', 'METHOD', 'FAILOVER', 'WRITES BACK', 'LONGEST GAP', 'FAILED W', 'FAILED R'] : [], rows, { tty }));
  const w = r.writer;
  const summary: Array<Array<string | number>> = [
    ['writes', `${w.written} sent, ${w.acknowledged} acknowledged by WAIT 1, ${w.unacknowledged} not acknowledged, ${w.failed} failed`],
    ['lost acknowledged writes', r.lostAcknowledged ? `${r.lostAcknowledged}: ${r.lostKeys.join(', ')}` : 0],
    ['reads', `${r.reader.commands} sent, ${r.reader.failed} failed`],
    ['clients reconnected', `${r.allReconnected ? 'all (writer, reader)' : `no: writer ${w.servedAfterFailover ? 'yes' : 'no'}, reader ${r.reader.servedAfterFailover ? 'yes' : 'no'}`}${restartedText(r)}`],
    ['healthy afterwards', `${r.healthyAfter.healthy ? 'yes' : 'NO'}: ${r.healthyAfter.detail}`],
    ...r.unplannedFailovers.map((f) => ['failed over again', `${f.from} -> ${f.to}, by the deployment itself`]),
    ...r.changes.map((change, i) => [i ? '' : 'changed', change]),
  ];
  if (tty) out.print('');
  out.print(renderTable(tty ? ['MEASURED', 'VALUE'] : [], summary, { tty }));
  for (const e of [...w.errors, ...r.reader.errors]) out.warn(`drill: client error seen: ${e}`);
  for (const f of r.unplannedFailovers) {
    out.warn(`drill: after the drill's failover the deployment failed over again by itself, ${f.from} -> ${f.to}: the new master did not answer for longer than ${r.topology === 'sentinel' ? 'down-after-milliseconds' : 'cluster-node-timeout'}; look at its latency (a slow disk under CONFIG REWRITE or a fork, CPU starvation)`);
  }
  for (const [who, n] of restarted(r)) {
    out.warn(`drill: the ${who}'s ioredis client ended during the failover and was started again (${n} time${n === 1 ? '' : 's'}): an ioredis Sentinel client with failoverDetector can end for good when +switch-master arrives while it reconnects; the gateway needs to recreate a client that emits 'end'`);
  }
}

/** The drill clients whose ioredis ended on its own and was started again, with how often. */
function restarted(r: FailoverDrillReport): Array<[string, number]> {
  return (['writer', 'reader'] as const).filter((who) => r.clientRestarts[who] > 0).map((who) => [who, r.clientRestarts[who]]);
}

function restartedText(r: FailoverDrillReport): string {
  const list = restarted(r).map(([who]) => who);
  return list.length ? `; the ${list.join(' and ')} only after a restart of ${list.length === 1 ? 'its client' : 'their clients'}` : '';
}
