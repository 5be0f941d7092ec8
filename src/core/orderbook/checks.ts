/**
 * The integrity checks `orderbook inspect` runs, with their severity. FAIL means the book is
 * wrong in a way that changes matching or what clients see (exit 1); WARN means housekeeping is
 * behind (expired or filled orders not yet removed, metadata drift).
 */
export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

const CHECKS = {
  'crossed-book': { severity: 'FAIL', title: 'crossed book (best bid >= best ask)' },
  unparsable: { severity: 'FAIL', title: 'members that do not parse as orders' },
  'score-mismatch': { severity: 'FAIL', title: 'score differs from the member\'s price' },
  'wrong-side': { severity: 'FAIL', title: 'order on the wrong side' },
  'duplicate-id': { severity: 'FAIL', title: 'duplicate order ids' },
  expired: { severity: 'WARN', title: 'expired orders still in the book' },
  'fully-filled': { severity: 'WARN', title: 'fully filled orders still in the book' },
  'order-hash-missing': { severity: 'WARN', title: 'order:{id} hash missing' },
  'order-hash-mismatch': { severity: 'FAIL', title: 'order:{id} hash disagrees with the book' },
  'metadata-missing': { severity: 'FAIL', title: 'metadata missing or unreadable' },
  'metadata-no-ttl': { severity: 'WARN', title: 'metadata without TTL' },
  'metadata-drift': { severity: 'WARN', title: 'metadata differs from the book' },
} as const satisfies Record<string, { severity: 'FAIL' | 'WARN'; title: string }>;

export type CheckId = keyof typeof CHECKS;

export interface AuditCheck {
  id: CheckId;
  status: CheckStatus;
  title: string;
  count: number;
  /** A few examples (order ids, truncated members) to start the investigation from. */
  samples: string[];
}

/** Counts findings per check and keeps the first few samples of each. */
export class FindingCollector {
  private readonly counts = new Map<CheckId, number>();
  private readonly samples = new Map<CheckId, string[]>();

  constructor(private readonly sampleLimit = 5) {}

  add(id: CheckId, sample?: string): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    if (sample === undefined) return;
    const list = this.samples.get(id) ?? [];
    if (list.length < this.sampleLimit) list.push(sample);
    this.samples.set(id, list);
  }

  /** Every check that ran, passing ones included, so the report shows what was looked at. */
  result(ran: CheckId[]): AuditCheck[] {
    return ran.map((id) => {
      const count = this.counts.get(id) ?? 0;
      return { id, status: count ? CHECKS[id].severity : 'PASS', title: CHECKS[id].title, count, samples: this.samples.get(id) ?? [] };
    });
  }
}

export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.includes('FAIL') ? 'FAIL' : statuses.includes('WARN') ? 'WARN' : 'PASS';
}
