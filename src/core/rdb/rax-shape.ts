/**
 * How many nodes a Redis rax (radix tree, rax.c) holding these keys has, as XINFO STREAM's
 * radix-tree-nodes reports it and MEMORY USAGE charges for it: keys of one length, fed in
 * ascending order (as an RDB lists stream nodes and PELs, and as loading inserts them). A node is
 * the root, a vertex with other than one child (a branch or a key's end), or the child of a branch;
 * a run of single-child vertices is one compressed node. Only the last key's path is kept.
 */
export class RaxShape {
  nodes = 1;
  private keys = 0;
  private readonly last: Uint8Array;
  /** Per depth along the last key's path: the vertex has two or more children / is a node of its own. */
  private readonly branch: Uint8Array;
  private readonly counted: Uint8Array;

  constructor(private readonly keyLength: number) {
    this.last = new Uint8Array(keyLength);
    this.branch = new Uint8Array(keyLength + 1);
    this.counted = new Uint8Array(keyLength + 1);
  }

  reset(): void {
    this.nodes = 1;
    this.keys = 0;
  }

  /** The key at buf[at, at + keyLength), not smaller than the previous one. */
  add(buf: Uint8Array, at: number): void {
    const n = this.keyLength;
    if (this.keys++ === 0) {
      this.branch.fill(0);
      this.counted.fill(0);
      this.counted[0] = 1;
      this.counted[n] = 1;
      this.nodes = 2; // the root, compressed over the whole key, and the key's end
    } else {
      let common = 0;
      while (common < n && buf[at + common] === this.last[common]) common++;
      if (common === n) {
        this.keys--;
        return; // the same key again
      }
      if (!this.branch[common]) {
        // The vertex where the paths part becomes a branch: it, and its old child, are nodes now.
        this.branch[common] = 1;
        if (!this.counted[common]) (this.counted[common] = 1), this.nodes++;
        if (!this.counted[common + 1]) (this.counted[common + 1] = 1), this.nodes++;
      }
      this.branch.fill(0, common + 1);
      this.counted.fill(0, common + 1);
      this.counted[common + 1] = 1;
      this.nodes++;
      if (common + 1 < n) (this.counted[n] = 1), this.nodes++;
    }
    for (let i = 0; i < n; i++) this.last[i] = buf[at + i]!;
  }
}
