import { describe, expect, it } from 'vitest';
import { summarizeClient, type TrafficEvent } from '../../../src/core/drill/traffic.js';
import { compareCounts } from '../../../src/core/drill/restored-counts.js';

/** Commands every 100 ms from t=0; `failing` lists the indexes that failed. */
function events(n: number, failing: number[] = []): TrafficEvent[] {
  return Array.from({ length: n }, (_, i) => ({ start: i * 100, end: i * 100 + 10, ok: !failing.includes(i) }));
}

describe('summarizeClient', () => {
  it('writes back: the first success sent after the promotion and after the last failure, from the trigger', () => {
    // trigger at 1000, new master seen at 1500, failures at 1000..1700
    const s = summarizeClient(events(30, [10, 11, 12, 13, 14, 15, 16, 17]), ['READONLY'], 1000, 1500);
    expect(s).toMatchObject({ commands: 30, failed: 8, errors: ['READONLY'], backAfterMs: 810, servedAfterFailover: true });
    expect(s.longestGapMs).toBe(810); // from the trigger (1000) to the first success (1810)
  });

  it('no failure: writes back right after the promotion; the gap counts from the trigger', () => {
    const s = summarizeClient(events(30), [], 1000, 1250);
    expect(s).toMatchObject({ failed: 0, backAfterMs: 310, servedAfterFailover: true });
    expect(s.longestGapMs).toBe(100);
  });

  it('no new master: never back, not served after the failover', () => {
    const s = summarizeClient(events(30, [20, 21]), [], 1000, undefined);
    expect(s.backAfterMs).toBeUndefined();
    expect(s.servedAfterFailover).toBe(false);
  });

  it('failing until the end: not back', () => {
    const s = summarizeClient(events(20, [15, 16, 17, 18, 19]), [], 1000, 1200);
    expect(s).toMatchObject({ servedAfterFailover: false, failed: 5 });
    expect(s.backAfterMs).toBeUndefined();
  });
});

describe('compareCounts', () => {
  it('PASS when equal', () => {
    expect(compareCounts('keys by type', { hash: 2, string: 3 }, { string: 3, hash: 2 }, 0)).toEqual({ check: 'keys by type', status: 'PASS', expected: 'hash 2, string 3', actual: 'hash 2, string 3' });
  });

  it('keys expired since the backup may be missing, and it says so', () => {
    expect(compareCounts('keys by type', { string: 3 }, { string: 1 }, 2)).toMatchObject({ status: 'PASS', detail: '2 key(s) expired since the backup (string: backup 3, restored 1)' });
  });

  it('FAIL naming each mismatch: more missing than expired, or any extra key', () => {
    expect(compareCounts('keys by type', { string: 3 }, { string: 1 }, 1)).toMatchObject({ status: 'FAIL', detail: 'string: backup 3, restored 1' });
    expect(compareCounts('keys by namespace', { 'order:{order_id}': 2 }, { 'order:{order_id}': 2, 'user:*': 1 }, 5)).toMatchObject({ status: 'FAIL', detail: 'user:*: backup 0, restored 1' });
  });
});
