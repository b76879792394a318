/**
 * The free room of every planned claim, per resource, in a max segment tree over claim
 * positions: finds the next claim (in creation order) with room for a request without
 * visiting the full ones. Per-resource maxima prune whole ranges; a leaf is checked exactly.
 */
export class SlackIndex {
  private capacity = 64;
  private tree: Float64Array;

  constructor(private readonly dimensions: number) {
    this.tree = new Float64Array(2 * this.capacity * dimensions).fill(-Infinity);
  }

  set(position: number, slack: Float64Array): void {
    while (position >= this.capacity) this.grow();
    const d = this.dimensions;
    let node = this.capacity + position;
    for (let r = 0; r < d; r++) this.tree[node * d + r] = slack[r];
    for (node >>= 1; node >= 1; node >>= 1) {
      for (let r = 0; r < d; r++) this.tree[node * d + r] = Math.max(this.tree[2 * node * d + r], this.tree[(2 * node + 1) * d + r]);
    }
  }

  /** The first position at or after `from` whose slack fits `requests`, or -1. */
  next(from: number, requests: Float64Array): number {
    return this.find(1, 0, this.capacity - 1, from, requests);
  }

  private find(node: number, low: number, high: number, from: number, requests: Float64Array): number {
    if (high < from) return -1;
    const d = this.dimensions;
    for (let r = 0; r < d; r++) if (this.tree[node * d + r] < requests[r]) return -1;
    if (low === high) return low;
    const middle = (low + high) >> 1;
    const left = this.find(2 * node, low, middle, from, requests);
    return left >= 0 ? left : this.find(2 * node + 1, middle + 1, high, from, requests);
  }

  private grow(): void {
    const d = this.dimensions;
    const old = this.tree;
    const oldCapacity = this.capacity;
    this.capacity *= 2;
    this.tree = new Float64Array(2 * this.capacity * d).fill(-Infinity);
    this.tree.set(old.subarray(oldCapacity * d, 2 * oldCapacity * d), this.capacity * d);
    for (let node = this.capacity - 1; node >= 1; node--) {
      for (let r = 0; r < d; r++) this.tree[node * d + r] = Math.max(this.tree[2 * node * d + r], this.tree[(2 * node + 1) * d + r]);
    }
  }
}
