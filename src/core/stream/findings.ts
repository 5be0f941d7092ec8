import { formatDuration } from '../duration.js';
import type { GroupState, StreamFinding } from './types.js';

/** A group against its thresholds: every crossed one is a finding naming the value and the limit. */
export function groupFindings(stream: string, g: GroupState): StreamFinding[] {
  const t = g.thresholds;
  const out: StreamFinding[] = [];
  const add = (id: StreamFinding['id'], severity: StreamFinding['severity'], message: string) => out.push({ id, severity, stream, group: g.name, message });
  if (g.lag === null) add('lag-unknown', 'warning', `lag unknown: ${g.lagUnknownReason}`);
  else if (g.lag > t.maxLag) add('lag', 'critical', `lag ${g.lag} > ${t.maxLag} entries`);
  if (g.pending > t.maxPending) add('pending', 'critical', `${g.pending} pending > ${t.maxPending}`);
  if (g.maxPendingIdleMs !== null && g.maxPendingIdleMs > t.maxPendingAgeMs) {
    add('pending-age', 'critical', `a pending entry has waited ${formatDuration(g.maxPendingIdleMs)} since its delivery > ${formatDuration(t.maxPendingAgeMs)}`);
  }
  if (g.deadConsumers.length) {
    const held = g.consumerStates.filter((c) => c.dead).reduce((n, c) => n + c.pending, 0);
    add('dead-consumer', 'critical', `${g.deadConsumers.length} dead consumer(s) holding ${held} pending (inactive > ${formatDuration(t.deadConsumerAfterMs)}): ${g.deadConsumers.join(', ')}`);
  }
  if (g.poisonEntries) add('poison', 'critical', `${g.poisonEntries} poison entr${g.poisonEntries === 1 ? 'y' : 'ies'} delivered >= ${t.poisonDeliveries} times (max ${g.maxDeliveries})`);
  return out;
}
