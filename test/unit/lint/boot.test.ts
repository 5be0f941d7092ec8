import { describe, expect, it } from 'vitest';
import { explainRefusal, loopbackBind } from '../../../src/core/lint/boot.js';

describe('--boot keeps the file\'s bind, on loopback', () => {
  it('keeps loopback addresses and a trailing comment as written, moves every other address onto loopback', () => {
    expect(loopbackBind(['127.0.0.1', '#', '绑定的ip'])).toEqual(['127.0.0.1', '#', '绑定的ip']);
    expect(loopbackBind(['10.0.0.5', '127.0.0.1', '-::1'])).toEqual(['-127.0.0.2', '127.0.0.1', '-::1']);
    expect(loopbackBind(['*', '-::*'])).toEqual(['127.0.0.1', '-127.0.0.2']);
    // One quoted value is split again, as Redis splits a multi-value directive's single argument.
    expect(loopbackBind(['0.0.0.0 # all'])).toEqual(['127.0.0.1', '#', 'all']);
    expect(loopbackBind(Array.from({ length: 17 }, (_, i) => `10.0.0.${i + 1}`))).toHaveLength(17);
  });
});

describe('explainRefusal', () => {
  it('names the address a listener could not use, not only "Failed listening"', () => {
    const out = '1:M 07 Dec 2026 11:55:04.577 # Warning: Could not create server TCP listening socket #:24250: Name or service not known\n1:M 07 Dec 2026 11:55:04.577 # Failed listening on port 24250 (TCP), aborting.\n';
    expect(explainRefusal(out, new Map()).reason).toBe('Could not create server TCP listening socket #:24250: Name or service not known');
  });

  it('calls a crash a crash, with the last step start-up reached', () => {
    const out = '1:M 07 Dec 2026 12:00:00.000 # Server initialized\n\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n1:M 07 Dec 2026 12:00:00.001 # Redis 7.0.15 crashed by signal: 11, si_code: 1\n';
    expect(explainRefusal(out, new Map()).reason).toBe('crashed (signal 11) while starting, after "Server initialized"');
  });
});
