import { describe, expect, it } from 'vitest';
import { groupThresholds, streamSetting } from '../../../src/core/stream/settings.js';
import { groupFindings } from '../../../src/core/stream/findings.js';
import { compareIds, idAgeMs } from '../../../src/core/stream/stream-id.js';
import { streamNames, DEFAULT_STREAMS } from '../../../src/core/config/defaults.js';
import { configSchema, type GridctlConfig } from '../../../src/core/config/schema.js';
import type { GroupState } from '../../../src/core/stream/types.js';

const config: GridctlConfig = {
  slo: { streamLag: 50 },
  streams: { 'stream:settlements': { maxPendingAge: '2m', poisonDeliveries: 4, maxLen: 1000, groups: { settlement: { maxPendingAge: '30s', maxLag: 10 } } } },
};

describe('stream thresholds from gridctl.yaml', () => {
  it('group over stream over slo over the defaults', () => {
    expect(groupThresholds(config, 'stream:settlements', 'settlement')).toEqual({ maxLag: 10, maxPending: 1000, maxPendingAgeMs: 30_000, deadConsumerAfterMs: 600_000, poisonDeliveries: 4 });
    expect(groupThresholds(config, 'stream:settlements', 'audit')).toMatchObject({ maxLag: 50, maxPendingAgeMs: 120_000 });
    expect(groupThresholds({}, 'stream:trades', 'matching')).toEqual({ maxLag: 1000, maxPending: 1000, maxPendingAgeMs: 300_000, deadConsumerAfterMs: 600_000, poisonDeliveries: 5 });
    expect(streamSetting(config, 'stream:settlements', 'maxLen')).toBe(1000);
  });
  it('streams: is a list of names or thresholds per stream; both validate', () => {
    expect(streamNames(['a'])).toEqual(['a']);
    expect(streamNames(config.streams)).toEqual(['stream:settlements']);
    expect(streamNames(undefined)).toEqual(DEFAULT_STREAMS);
    expect(configSchema.safeParse({ streams: ['stream:trades'] }).success).toBe(true);
    expect(configSchema.safeParse(config).success).toBe(true);
    expect(configSchema.safeParse({ streams: { s: { maxPendingAge: 'soon' } } }).success).toBe(false);
    expect(configSchema.safeParse({ streams: { s: { maxLagg: 3 } } }).success).toBe(false);
  });
});

const group = (over: Partial<GroupState>): GroupState => ({
  name: 'g', consumers: 1, pending: 0, lag: 0, entriesRead: 0, lastDeliveredId: '0-0', lastDeliveredAgeMs: null, oldestPending: null, maxPendingIdleMs: null,
  maxDeliveries: 0, poisonEntries: 0, pendingScanned: 0, consumerStates: [], deadConsumers: [],
  thresholds: { maxLag: 10, maxPending: 5, maxPendingAgeMs: 1000, deadConsumerAfterMs: 1000, poisonDeliveries: 3 }, ...over,
});

describe('group findings', () => {
  it('nothing at the thresholds, a finding just past each', () => {
    expect(groupFindings('s', group({ lag: 10, pending: 5, maxPendingIdleMs: 1000 }))).toEqual([]);
    expect(groupFindings('s', group({ lag: 11, pending: 6, maxPendingIdleMs: 1001 })).map((f) => [f.id, f.severity])).toEqual([['lag', 'critical'], ['pending', 'critical'], ['pending-age', 'critical']]);
  });
  it('an unknown lag is a warning naming the reason, never a lag of 0', () => {
    const [f] = groupFindings('s', group({ lag: null, lagUnknownReason: 'entries were deleted (XDEL)' }));
    expect(f).toMatchObject({ id: 'lag-unknown', severity: 'warning', message: 'lag unknown: entries were deleted (XDEL)' });
  });
  it('dead consumers and poison entries', () => {
    const g = group({ consumerStates: [{ name: 'c2', pending: 4, idleMs: 5000, inactiveMs: null, dead: true }], deadConsumers: ['c2'], poisonEntries: 2, maxDeliveries: 7 });
    expect(groupFindings('s', g).map((f) => f.message)).toEqual(['1 dead consumer(s) holding 4 pending (inactive > 1.0s): c2', '2 poison entries delivered >= 3 times (max 7)']);
  });
  it('ids compare numerically and give their age', () => {
    expect([compareIds('10-0', '9-5'), compareIds('5-2', '5-10'), compareIds('5-1', '5-1')]).toEqual([1, -1, 0]);
    expect([idAgeMs('1000-0', 1500), idAgeMs('0-0', 1500), idAgeMs(null, 1)]).toEqual([500, null, null]);
  });
});
