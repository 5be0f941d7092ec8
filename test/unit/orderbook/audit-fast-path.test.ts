import { describe, expect, it } from 'vitest';
import { compare, compareDecimalText, parseDecimal } from '../../../src/core/orderbook/decimal.js';
import { parseAuditMember, parseBookMember } from '../../../src/core/orderbook/order.js';
import { isPositive } from '../../../src/core/orderbook/decimal.js';
import { MAX_PAGE_COUNT, MIN_PAGE_COUNT, nextPageCount } from '../../../src/core/orderbook/order-hash-script.js';

const base = { id: 'o1', user_id: 'u1', epoch_id: null, side: 'Buy', energy_amount: '12.5', price: '0.15', filled_amount: '2.25', created_at: '2026-11-27T10:00:00Z', expires_at: '2026-11-28T10:00:00Z' };

describe('exact decimal comparison of texts (the audit hot path, no BigInt)', () => {
  it('agrees with the BigInt comparison on edge cases', () => {
    const cases = [
      ['0.1', '0.10'], ['12.5', '12.50'], ['-0', '0'], ['-0.01', '0'], ['1', '0.999999999999999'], ['0.3', '0.30000000000000004'],
      // 16+ digits: the Number path would round these together; the BigInt fallback must not.
      ['1234567890.1234567', '1234567890.1234568'], ['9007199254740993', '9007199254740992'], ['0.10000000000000001', '0.1'],
      ['007.5', '7.5'], ['+3', '3'], ['-12.5', '-12.49'], ['100000000000000', '99999999999999.9'],
    ] as const;
    for (const [a, b] of cases) {
      expect(compareDecimalText(a, b), `${a} vs ${b}`).toBe(compare(parseDecimal(a)!, parseDecimal(b)!));
      expect(compareDecimalText(b, a), `${b} vs ${a}`).toBe(compare(parseDecimal(b)!, parseDecimal(a)!));
    }
  });
  it('agrees with the BigInt comparison on random decimals of every length', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const digits = (n: number) => Array.from({ length: n }, () => String(rand(10))).join('');
    for (let i = 0; i < 5000; i++) {
      const make = () => `${rand(4) === 0 ? '-' : ''}${digits(1 + rand(10))}${rand(3) ? `.${digits(1 + rand(10))}` : ''}`;
      const a = make();
      // Often a near neighbour of a, so equal and almost-equal values are covered.
      const frac = a.includes('.') ? '' : '.';
      const b = rand(3) === 0 ? make() : rand(2) ? `${a}${frac}0` : `${a}${frac}1`;
      expect(compareDecimalText(a, b), `${a} vs ${b}`).toBe(compare(parseDecimal(a)!, parseDecimal(b)!));
    }
  });
});

describe('parseAuditMember (the audit hot path) agrees with parseBookMember', () => {
  const members = [
    JSON.stringify(base),
    JSON.stringify({ ...base, filled_amount: '12.50' }),
    JSON.stringify({ ...base, filled_amount: '13' }),
    JSON.stringify({ ...base, side: 'Sell', epoch_id: '0b7c7e0e-5a43-4b8e-9a55-1f0f4f0d1e2a' }),
    // Not the gateway's field order, spaces, numbers, a missing filled_amount, escapes: the JSON.parse path.
    JSON.stringify({ price: '0.15', id: 'o2', side: 'Buy', energy_amount: '3', filled_amount: '1' }),
    JSON.stringify(base, null, 1),
    JSON.stringify({ ...base, price: 0.15, energy_amount: 7 }),
    JSON.stringify({ ...base, filled_amount: undefined }),
    JSON.stringify({ ...base, id: 'o"quoted\\id' }),
    JSON.stringify({ ...base, energy_amount: ' 4.5 ' }),
    JSON.stringify({ ...base, expires_at: 'not a date' }),
    JSON.stringify({ ...base, expires_at: undefined }),
    // Bad members: the reason must be parseBookMember's own.
    '{oops',
    '[1]',
    JSON.stringify({ ...base, side: 'buy' }),
    JSON.stringify({ ...base, price: 'cheap' }),
    JSON.stringify({ ...base, price: '1e5' }),
    JSON.stringify({ ...base, id: '' }),
    JSON.stringify({ ...base, energy_amount: null }),
    // A control character inside a string is not JSON: the fast pattern must not accept it.
    JSON.stringify(base).replace('u1', 'u\u00011'),
  ];
  for (const member of members) {
    it(`reads ${member.slice(0, 60).replace(/\s+/g, ' ')}`, () => {
      const fast = parseAuditMember(member);
      const slow = parseBookMember(member);
      if (!slow.ok) {
        expect(fast).toBe(slow.reason);
        return;
      }
      if (typeof fast === 'string') throw new Error(`fast path rejected a valid member: ${fast}`);
      expect(fast.id).toBe(slow.order.id);
      expect(fast.side).toBe(slow.order.side);
      expect(Number(fast.priceText)).toBe(Number(slow.order.priceText));
      expect(compare(parseDecimal(fast.energyText)!, slow.order.energyAmount)).toBe(0);
      expect(compare(parseDecimal(fast.filledText)!, slow.order.filledAmount)).toBe(0);
      expect(fast.hasRemaining).toBe(isPositive(slow.order.remaining));
      expect(fast.expiresAt).toBe(slow.order.expiresAt);
      expect(fast.singleIdKey).toBe(true);
    });
  }
  it('flags a member with a second "id" key (JSON.parse keeps the last one)', () => {
    const twoIds = JSON.stringify(base).replace(/}$/, ',"id":"o9"}');
    const fast = parseAuditMember(twoIds);
    if (typeof fast === 'string') throw new Error(fast);
    expect(fast.id).toBe('o9');
    expect(fast.singleIdKey).toBe(false);
  });
});

describe('script page sizing', () => {
  it('aims at the time budget, moves at most 2x a step, stays within bounds', () => {
    // 1000 members took 10 ms; budget 3 ms -> halve (not 300 at once).
    expect(nextPageCount(1000, 1000, 10_000, 3000)).toBe(500);
    // 500 members took 0.5 ms; budget 3 ms -> double (not 3000 at once).
    expect(nextPageCount(500, 500, 500, 3000)).toBe(1000);
    expect(nextPageCount(800, 800, 2400, 3000)).toBe(1000);
    expect(nextPageCount(MIN_PAGE_COUNT, MIN_PAGE_COUNT, 1_000_000, 3000)).toBe(MIN_PAGE_COUNT);
    expect(nextPageCount(MAX_PAGE_COUNT, MAX_PAGE_COUNT, 1, 3000)).toBe(MAX_PAGE_COUNT);
    expect(nextPageCount(500, 0, 0, 3000)).toBe(1000);
  });
});
