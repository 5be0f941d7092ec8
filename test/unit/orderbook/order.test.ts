import { describe, expect, it } from 'vitest';
import { parseBookMember } from '../../../src/core/orderbook/order.js';
import { formatDecimal } from '../../../src/core/orderbook/decimal.js';
import { orderDifferences } from '../../../src/core/orderbook/audit.js';
import { metadataDrift } from '../../../src/core/orderbook/metadata.js';

const order = { id: 'o1', user_id: 'u1', epoch_id: null, side: 'Buy', energy_amount: '12.5', price: '0.15', filled_amount: '2.25', created_at: '2026-11-27T10:00:00Z', expires_at: '2026-11-28T10:00:00Z' };

describe('order-book members', () => {
  it('parses a gateway BookOrder and computes remaining exactly', () => {
    const r = parseBookMember(JSON.stringify(order));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(formatDecimal(r.order.remaining)).toBe('10.25');
    expect(r.order.expiresAt).toBe(Date.parse('2026-11-28T10:00:00Z'));
  });
  it('names the first problem of a bad member', () => {
    expect(parseBookMember('{oops')).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseBookMember('[1]')).toEqual({ ok: false, reason: 'not a JSON object' });
    expect(parseBookMember(JSON.stringify({ ...order, side: 'buy' }))).toMatchObject({ ok: false, reason: expect.stringContaining('side') });
    expect(parseBookMember(JSON.stringify({ ...order, price: 'cheap' }))).toMatchObject({ ok: false, reason: expect.stringContaining('price') });
  });
  it('lists the fields an order:{id} hash disagrees on', () => {
    const r = parseBookMember(JSON.stringify(order));
    if (!r.ok) throw new Error('parse');
    expect(orderDifferences(r.order, JSON.stringify(order))).toEqual([]);
    expect(orderDifferences(r.order, JSON.stringify({ ...order, filled_amount: '3', price: '0.150' }))).toEqual(['filled_amount 3 != 2.25']);
  });
  it('reports metadata drift as exact decimal comparison', () => {
    const meta = { present: true, type: 'hash', ttlMs: 1000, fields: { best_bid: '0.150', best_ask: '0.17', mid_price: '0.155', spread: '0.01' } };
    expect(metadataDrift(meta, { best_bid: '0.15', best_ask: '0.16', mid_price: '0.155', spread: '0.01' })).toEqual([{ field: 'best_ask', stored: '0.17', actual: '0.16' }]);
  });
});
