import { compareDecimalText, formatDecimal, isPlainDecimal, isPositive, parseDecimal, sub, type Decimal } from './decimal.js';

/** An order-book member (DESIGN.md; the gateway's BookOrder), with its decimals parsed. */
export interface BookOrder {
  id: string;
  userId: string;
  side: 'Buy' | 'Sell';
  price: Decimal;
  priceText: string;
  energyAmount: Decimal;
  filledAmount: Decimal;
  /** energy_amount - filled_amount. */
  remaining: Decimal;
  expiresAt: number | undefined;
}

export type ParsedMember = { ok: true; order: BookOrder } | { ok: false; reason: string };

/** Decimal fields come as strings from rust_decimal; a JSON number is accepted through its text. */
function decimalField(o: Record<string, unknown>, name: string): Decimal | string {
  const v = o[name];
  if (typeof v !== 'string' && typeof v !== 'number') return `${name} missing or not a decimal string`;
  const d = parseDecimal(String(v));
  return d ?? `${name} "${String(v)}" is not a decimal`;
}

function timeField(o: Record<string, unknown>, name: string): number | undefined {
  const v = o[name];
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Parse one sorted-set member; the reason names the first thing wrong, for the audit's samples. */
export function parseBookMember(member: string): ParsedMember {
  let raw: unknown;
  try {
    raw = JSON.parse(member);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object' };
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id === '') return { ok: false, reason: 'id missing' };
  if (o.side !== 'Buy' && o.side !== 'Sell') return { ok: false, reason: `side ${JSON.stringify(o.side)} is not "Buy" or "Sell"` };
  const price = decimalField(o, 'price');
  const energy = decimalField(o, 'energy_amount');
  const filled = o.filled_amount === undefined ? parseDecimal('0')! : decimalField(o, 'filled_amount');
  for (const d of [price, energy, filled]) if (typeof d === 'string') return { ok: false, reason: d };
  const p = price as Decimal;
  const e = energy as Decimal;
  const f = filled as Decimal;
  return {
    ok: true,
    order: {
      id: o.id,
      userId: typeof o.user_id === 'string' ? o.user_id : '',
      side: o.side,
      price: p,
      priceText: String(o.price),
      energyAmount: e,
      filledAmount: f,
      remaining: f.coef === 0n ? e : sub(e, f),
      expiresAt: timeField(o, 'expires_at'),
    },
  };
}

/**
 * What the audit needs from a member, read without building Decimals: the texts of its decimals
 * (validated as plain decimals) and whether quantity is left, decided by exact text comparison.
 * The audit walks every member of the book, so this is the hot path; parseBookMember (BigInt
 * decimals) stays for the top of book and for the few members a finding needs to describe.
 */
export interface AuditedOrder {
  id: string;
  side: 'Buy' | 'Sell';
  priceText: string;
  energyText: string;
  filledText: string;
  /** energy_amount > filled_amount, exactly. */
  hasRemaining: boolean;
  expiresAt: number | undefined;
  /**
   * The text has exactly one "id" key: it is in the gateway's layout, or no second `"id"` occurs
   * in it. (The order-hash script reads the first id; JSON.parse keeps the last of duplicates.)
   */
  singleIdKey: boolean;
}

/** The order, or the reason the member is not one (a string: no wrapper object per member on the hot path). */
export type AuditedMember = AuditedOrder | string;

// Orders of one book mostly share a handful of expiry texts (same TTL, same second): remember the last one.
let lastTimeText = '';
let lastTime: number | undefined;

function auditTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (v === lastTimeText) return lastTime;
  const t = Date.parse(v);
  lastTimeText = v;
  lastTime = Number.isNaN(t) ? undefined : t;
  return lastTime;
}

function plainText(v: unknown): string | undefined {
  const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  return text !== undefined && isPlainDecimal(text) ? text : undefined;
}

/** A JSON string without escapes: any character but the quote, the backslash and the controls JSON forbids. */
const PLAIN_STRING = '[^"\\\\\\x00-\\x1f]*';
const PLAIN_DECIMAL_TEXT = '([+-]?\\d+(?:\\.\\d+)?)';
/**
 * The gateway's own serialisation of a BookOrder (serde_json, compact, struct field order, ids
 * and timestamps without escapes). Text that matches is a JSON object whose fields are exactly the
 * captures, so reading them here equals JSON.parse, at a quarter of its cost and with no objects
 * for the garbage collector. Anything else (other field order, spaces, escapes) takes JSON.parse.
 */
const GATEWAY_LAYOUT = new RegExp(
  `^\\{"id":"(${PLAIN_STRING.slice(0, -1)}+)","user_id":"${PLAIN_STRING}","epoch_id":(?:null|"${PLAIN_STRING}"),"side":"(Buy|Sell)",` +
    `"energy_amount":"${PLAIN_DECIMAL_TEXT}","price":"${PLAIN_DECIMAL_TEXT}","filled_amount":"${PLAIN_DECIMAL_TEXT}",` +
    `"created_at":"${PLAIN_STRING}","expires_at":"(${PLAIN_STRING})"\\}$`,
);

/**
 * The audit's view of one member: no BigInt for a well-formed order, and for the gateway's own
 * layout not even a JSON.parse. Anything unusual (a decimal with spaces, a missing field) goes
 * through parseBookMember, so what is accepted and the reason given for a bad member are exactly
 * parseBookMember's.
 */
export function parseAuditMember(member: string): AuditedMember {
  const m = GATEWAY_LAYOUT.exec(member);
  if (m) {
    const [, id, side, energyText, priceText, filledText, expires] = m as unknown as [string, string, 'Buy' | 'Sell', string, string, string, string];
    return { id, side, priceText, energyText, filledText, hasRemaining: compareDecimalText(energyText, filledText) > 0, expiresAt: auditTime(expires), singleIdKey: true };
  }
  return parseAuditMemberJson(member);
}

function parseAuditMemberJson(member: string): AuditedMember {
  const singleIdKey = member.indexOf('"id"', member.indexOf('"id"') + 1) === -1;
  let raw: unknown;
  try {
    raw = JSON.parse(member);
  } catch {
    return 'not JSON';
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    const priceText = plainText(o.price);
    const energyText = plainText(o.energy_amount);
    const filledText = o.filled_amount === undefined ? '0' : plainText(o.filled_amount);
    if (typeof o.id === 'string' && o.id !== '' && (o.side === 'Buy' || o.side === 'Sell') && priceText !== undefined && energyText !== undefined && filledText !== undefined) {
      return { id: o.id, side: o.side, priceText, energyText, filledText, hasRemaining: compareDecimalText(energyText, filledText) > 0, expiresAt: auditTime(o.expires_at), singleIdKey };
    }
  }
  const slow = parseBookMember(member);
  if (!slow.ok) return slow.reason;
  const b = slow.order;
  return { id: b.id, side: b.side, priceText: b.priceText, energyText: formatDecimal(b.energyAmount), filledText: formatDecimal(b.filledAmount), hasRemaining: isPositive(b.remaining), expiresAt: b.expiresAt, singleIdKey };
}
