// Stable argsort of float64 keys by LSD radix sort: linear time, so ordering 20 M event times stays
// well under a second where a comparator sort would take many seconds.

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Permutation p such that keys[p[0]] <= keys[p[1]] <= ..., ties kept in index order.
 * NaN keys sort after +Infinity; -0 and +0 tie.
 */
export function stableArgsort(keys: Float64Array): Int32Array {
  const n = keys.length;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (!(keys[i - 1] <= keys[i])) sorted = false;
  if (sorted) return perm; // logs usually arrive in time order

  // Map each double to an unsigned 64-bit integer with the same order (flip all bits of negatives,
  // only the sign bit of positives), split into two 32-bit halves.
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  const hw = littleEndian ? 1 : 0;
  const lw = 1 - hw;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    scratch[0] = k === 0 ? 0 : Number.isNaN(k) ? NaN : k;
    const h = words[hw];
    const l = words[lw];
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }

  let src = perm;
  let dst = new Int32Array(n);
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((word[i] >>> shift) & 0xffff) + 1]++;
    // A digit shared by every key leaves the order unchanged; epoch times share most high digits.
    let constant = false;
    for (let d = 1; d <= 65536; d++) {
      if (count[d] === n) constant = true;
      if (count[d] !== 0) break;
    }
    if (constant) continue;
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let t = 0; t < n; t++) {
      const i = src[t];
      dst[count[(word[i] >>> shift) & 0xffff]++] = i;
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  return src;
}
