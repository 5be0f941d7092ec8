import { describe, expect, it } from 'vitest';
import { NamespaceMatcher, NO_PREFIX_GROUP, OVERFLOW_GROUP } from '../../../src/core/namespaces/matcher.js';
import { DEFAULT_NAMESPACES } from '../../../src/core/config/defaults.js';

describe('NamespaceMatcher', () => {
  const m = new NamespaceMatcher(DEFAULT_NAMESPACES, { prefixDepth: 2 });

  it('matches placeholder patterns, including ids that contain colons', () => {
    expect(m.match('user:profile:42').name).toBe('user:profile:{user_id}');
    expect(m.match('rate_limit:api:10.0.0.1:/api/v1/orders:42').name).toBe('rate_limit:api:{ip}:{endpoint}');
    expect(m.match('lock:order_matching:SOL-USDC').name).toBe('lock:{resource}');
    expect(m.match('lock:order_matching:SOL-USDC').declared?.kind).toBe('lock');
  });

  it('prefers the most literal pattern (exact name over placeholder)', () => {
    expect(m.match('settlement:pending').name).toBe('settlement:pending');
    expect(m.match('settlement:abc').name).toBe('settlement:{settlement_id}');
    expect(m.match('orderbook:buy').name).toBe('orderbook:buy');
    expect(m.match('order_book:sell').name).toBe('order_book:sell');
  });

  it('needs at least one character for a placeholder', () => {
    expect(m.match('user:profile:').declared).toBeUndefined();
  });

  it('groups undeclared keys by prefix at the configured depth', () => {
    expect(m.match('misc:foo:bar:1').name).toBe('misc:foo:*');
    expect(m.match('misc:foo').name).toBe('misc:*');
    expect(m.match('plain').name).toBe(NO_PREFIX_GROUP);
    expect(new NamespaceMatcher([], { prefixDepth: 1 }).match('a:b:c').name).toBe('a:*');
    expect(new NamespaceMatcher([], { prefixDepth: 3 }).match('a:b:c:d').name).toBe('a:b:c:*');
  });

  it('caps the number of prefix groups so memory stays bounded', () => {
    const small = new NamespaceMatcher([], { prefixDepth: 1, maxPrefixGroups: 2 });
    expect(small.match('a:1').name).toBe('a:*');
    expect(small.match('b:1').name).toBe('b:*');
    expect(small.match('c:1').name).toBe(OVERFLOW_GROUP);
    expect(small.match('a:2').name).toBe('a:*');
  });

  it('handles patterns that start with a placeholder', () => {
    const p = new NamespaceMatcher([{ pattern: '{tenant}:cart', kind: 'cache' }], { prefixDepth: 2 });
    expect(p.match('acme:cart').name).toBe('{tenant}:cart');
    expect(p.match('acme:other').name).toBe('acme:*');
  });
});

describe('matchesLiterals', () => {
  it('decides exactly as the pattern read as a regular expression (each placeholder: one or more characters)', async () => {
    const { matchesLiterals } = await import('../../../src/core/namespaces/matcher.js');
    const alphabet = ['a', ':', 'b', '::', ''];
    let s = 7;
    const pick = () => alphabet[(s = (Math.imul(s, 1103515245) + 12345) >>> 0) % alphabet.length]!;
    for (let n = 0; n < 3000; n++) {
      const literals = Array.from({ length: 1 + (n % 4) }, pick);
      const regex = new RegExp(`^${literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(?:.+)')}$`, 's');
      const key = Array.from({ length: n % 9 }, pick).join('');
      expect(matchesLiterals(key, literals), `${JSON.stringify(literals)} ~ ${JSON.stringify(key)}`).toBe(regex.test(key));
    }
  });
});
