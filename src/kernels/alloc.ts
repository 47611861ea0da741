// A first-fit allocator over a byte range that can grow at the top: blocks are 16-byte aligned (so
// SIMD rows of k % 4 == 0 floats stay aligned), freed blocks coalesce with their neighbours, and a free
// block at the top gives its space back to the bump pointer. Meant for few, large blocks (factor
// matrices, scratch), so the free list is a plain sorted array.
import { NextbestError } from '../core/errors.js';

export const ALIGN = 16;

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

interface Block {
  at: number;
  size: number;
}

export class RangeAllocator {
  private top: number;
  private readonly free: Block[] = [];
  private readonly used = new Map<number, number>();

  /**
   * @param base first byte that may be handed out
   * @param ensure called with the end byte of every allocation above the current top; must make
   *   the bytes up to it addressable (grow the memory) or throw
   */
  constructor(
    base: number,
    private readonly ensure: (end: number) => void,
  ) {
    this.top = roundUp(base, ALIGN);
  }

  /** Allocates `bytes` (rounded up to 16; 0 allowed) and returns the address. Contents unspecified. */
  alloc(bytes: number): number {
    if (!(Number.isInteger(bytes) && bytes >= 0)) throw new NextbestError('INTERNAL', `cannot allocate ${bytes} bytes`);
    const size = Math.max(ALIGN, roundUp(bytes, ALIGN));
    for (let b = 0; b < this.free.length; b++) {
      const blk = this.free[b];
      if (blk.size < size) continue;
      const at = blk.at;
      if (blk.size === size) this.free.splice(b, 1);
      else {
        blk.at += size;
        blk.size -= size;
      }
      this.used.set(at, size);
      return at;
    }
    const at = this.top;
    this.ensure(at + size);
    this.top = at + size;
    this.used.set(at, size);
    return at;
  }

  /** Frees the block at `at` (an address alloc returned). */
  release(at: number): void {
    const size = this.used.get(at);
    if (size === undefined) throw new NextbestError('INTERNAL', `address ${at} is not an allocated block`);
    this.used.delete(at);
    // Insert sorted, then coalesce with the neighbours.
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].at < at) lo = mid + 1;
      else hi = mid;
    }
    this.free.splice(lo, 0, { at, size });
    if (lo + 1 < this.free.length && this.free[lo].at + this.free[lo].size === this.free[lo + 1].at) {
      this.free[lo].size += this.free[lo + 1].size;
      this.free.splice(lo + 1, 1);
    }
    if (lo > 0 && this.free[lo - 1].at + this.free[lo - 1].size === this.free[lo].at) {
      this.free[lo - 1].size += this.free[lo].size;
      this.free.splice(lo, 1);
      lo--;
    }
    const last = this.free[this.free.length - 1];
    if (last && last.at + last.size === this.top) {
      this.top = last.at;
      this.free.pop();
    }
  }

  /** Size in bytes of the block at `at`, or undefined if none is allocated there. */
  sizeOf(at: number): number | undefined {
    return this.used.get(at);
  }

  /** Bytes in use (allocated blocks) and the high-water mark. */
  stats(): { usedBytes: number; topBytes: number; blocks: number } {
    let usedBytes = 0;
    for (const s of this.used.values()) usedBytes += s;
    return { usedBytes, topBytes: this.top, blocks: this.used.size };
  }
}
