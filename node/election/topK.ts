/**
 * Keeps the k best items seen, in O(log k) per offer: a binary heap of at most k items whose root
 * is the worst kept item, so a new item only has to beat the root to get in.
 */
export class TopK<T> {
  private readonly heap: T[] = [];

  /** `better(a, b)` is true when a ranks strictly above b; it must be a strict total order. */
  constructor(
    private readonly capacity: number,
    private readonly better: (a: T, b: T) => boolean,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError(`TopK capacity ${capacity}`);
  }

  get size(): number {
    return this.heap.length;
  }

  offer(item: T): void {
    if (this.heap.length < this.capacity) {
      this.heap.push(item);
      this.siftUp(this.heap.length - 1);
    } else if (this.capacity > 0 && this.better(item, this.heap[0])) {
      this.heap[0] = item;
      this.siftDown(0);
    }
  }

  /** The kept items, best first, in O(k log k). The heap is left unchanged. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0));
  }

  // The root holds the worst item: a parent is never better than its children.
  private siftUp(index: number): void {
    const heap = this.heap;
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.better(heap[parent], heap[child])) break;
      [heap[parent], heap[child]] = [heap[child], heap[parent]];
      child = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let worst = parent;
      if (left < heap.length && this.better(heap[worst], heap[left])) worst = left;
      if (right < heap.length && this.better(heap[worst], heap[right])) worst = right;
      if (worst === parent) return;
      [heap[parent], heap[worst]] = [heap[worst], heap[parent]];
      parent = worst;
    }
  }
}
