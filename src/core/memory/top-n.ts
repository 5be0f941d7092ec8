/**
 * Keeps the N largest items seen, in O(N) memory whatever the number of items: a binary min-heap
 * whose root is the smallest kept item. Ties on the score are broken by the name (the smaller name
 * ranks higher), so the kept set does not depend on the order keys arrive in: a cluster scanned
 * node by node yields the same top-N as one instance.
 */
export class TopN<T> {
  private readonly heap: T[] = [];

  constructor(
    private readonly capacity: number,
    private readonly score: (item: T) => number,
    private readonly name: (item: T) => string,
  ) {}

  /** Would this score/name enter the kept set? Lets callers skip building the item. */
  wouldKeep(score: number, name: string): boolean {
    if (this.capacity <= 0) return false;
    if (this.heap.length < this.capacity) return true;
    const root = this.heap[0]!;
    return this.greater(score, name, this.score(root), this.name(root));
  }

  push(item: T): void {
    if (!this.wouldKeep(this.score(item), this.name(item))) return;
    if (this.heap.length < this.capacity) {
      this.heap.push(item);
      this.siftUp(this.heap.length - 1);
    } else {
      this.heap[0] = item;
      this.siftDown(0);
    }
  }

  /** Kept items, largest first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (this.greater(this.score(a), this.name(a), this.score(b), this.name(b)) ? -1 : 1));
  }

  get size(): number {
    return this.heap.length;
  }

  private greater(sa: number, na: string, sb: number, nb: string): boolean {
    return sa > sb || (sa === sb && na < nb);
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    return this.greater(this.score(b), this.name(b), this.score(a), this.name(a));
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && this.less(l, smallest)) smallest = l;
      if (r < n && this.less(r, smallest)) smallest = r;
      if (smallest === i) return;
      [this.heap[i], this.heap[smallest]] = [this.heap[smallest]!, this.heap[i]!];
      i = smallest;
    }
  }
}
