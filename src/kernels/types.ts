// The one kernel API both implementations offer: `ts` (plain typed-array loops, src/kernels/reference.ts)
// and `wasm` (AssemblyScript + SIMD, assembly/kernels.ts). Same signatures, same results up to float32
// rounding (the TS loops accumulate in double precision, the WebAssembly ones in float32).
//
// Conventions: matrices are row-major float32; a row of k factors of matrix M for entity r starts at
// element offset r * k. Offsets (`xOff`, `uOff`, ...) are element offsets into the array passed.
// Arrays from `f32` / `i32` of a kernel set are the fast path: for `wasm` they live inside the
// WebAssembly memory, so kernels read and write them in place. Any other array works too, but the
// `wasm` kernels then copy the range they touch in and out on every call.

export type KernelImpl = 'ts' | 'wasm';

/** An array kernels accept: float32 data, int32 indices. */
export type KernelArray = Float32Array | Int32Array;

/** Factors and their adagrad accumulators for the pairwise-ranking epochs (LightFM's update). */
export interface AdagradFactors {
  readonly k: number;
  /** customers x k, and the accumulators of each (same shape). */
  readonly user: Float32Array;
  readonly gUser: Float32Array;
  /** products x k and their accumulators; read only when a pass does not update products (gItem may then be empty). */
  readonly item: Float32Array;
  readonly gItem: Float32Array;
  /** One bias per product and its accumulator. */
  readonly bias: Float32Array;
  readonly gBias: Float32Array;
  readonly learningRate: number;
  readonly regularization: number;
}

/** What one epoch steps over. */
export interface PairEpoch {
  /** Positions q into `indices`, in the order to step: customer owner[q] and held product indices[q]. */
  readonly order: Int32Array;
  readonly owner: Int32Array;
  /** Each customer's held products (CSR rows, ascending): drawn products among them are skipped. */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** One element: the mulberry32 state of src/core/rng.ts, advanced in place as products are drawn. */
  readonly rng: Int32Array;
  /** false: only the customer factors move (fold-in). */
  readonly updateItems: boolean;
}

export interface Kernels {
  readonly impl: KernelImpl;

  /** A zeroed float32 array of n elements the kernels use without copying (shared memory). */
  f32(n: number): Float32Array;
  /** A zeroed int32 array of n elements the kernels use without copying (shared memory). */
  i32(n: number): Int32Array;
  /** Returns an array from f32 / i32 to the allocator; it must not be used afterwards. */
  free(a: KernelArray): void;

  /** sum x[xOff + t] * y[yOff + t] for t < n. */
  dot(n: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): number;
  /** y[yOff + t] += a * x[xOff + t] for t < n. */
  axpy(n: number, a: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): void;

  /** sum values[off + p] * dense[denseOff + indices[off + p]] for p < nnz. */
  spdot(nnz: number, indices: Int32Array, values: Float32Array, off: number, dense: Float32Array, denseOff: number): number;
  /**
   * CSR matrix times dense vector, rows r0 <= r < r1: out[r] = sum over p in indptr[r] .. indptr[r+1]
   * of values[p] * x[indices[p]] (the CsrMatrix layout of src/matrix/csr.ts).
   */
  csrMatVec(r0: number, r1: number, indptr: Int32Array, indices: Int32Array, values: Float32Array, x: Float32Array, out: Float32Array): void;

  /**
   * One squared-loss matrix-factorisation SGD step, residual err = r - u.i:
   * u += lr (err i - reg u), i += lr (err u - reg i), both from the old values. u = U[uOff ..],
   * i = V[iOff ..], k floats each.
   */
  mfStep(k: number, U: Float32Array, uOff: number, V: Float32Array, iOff: number, err: number, lr: number, reg: number): void;
  /**
   * One BPR SGD step with gradient scale g (= sigmoid(-x_uij) for the logistic loss):
   * u += lr (g (i - j) - reg u), i += lr (g u - reg i), j += lr (-g u - reg j), all from the old values.
   */
  bprStep(k: number, U: Float32Array, uOff: number, V: Float32Array, iOff: number, jOff: number, g: number, lr: number, reg: number): void;
  /**
   * `count` BPR steps over triples (users[t], pos[t], neg[t]) with rows of U and V (k floats each):
   * each computes x = u.(i - j), then bprStep with g = sigmoid(-x). Returns the summed loss
   * -ln sigmoid(x) over the steps (each from the scores before its own step).
   */
  bprBatch(k: number, U: Float32Array, V: Float32Array, count: number, users: Int32Array, pos: Int32Array, neg: Int32Array, lr: number, reg: number): number;

  /** G = Yᵀ Y (k x k, full symmetric, overwritten) for the n x k matrix Y starting at Y[yOff]. */
  gram(n: number, k: number, Y: Float32Array, yOff: number, G: Float32Array, gOff: number): void;
  /**
   * Solves (A + ridge I) x = b for symmetric positive-definite A (k x k at A[aOff], lower triangle
   * read). A is overwritten by its Cholesky factor (lower triangle), b (k at b[bOff]) by x.
   * Returns 0, or 1 + the row whose pivot was not positive (A, b then hold garbage).
   */
  cholSolve(k: number, A: Float32Array, aOff: number, b: Float32Array, bOff: number, ridge: number): number;

  /**
   * Implicit-ALS conjugate gradient for rows r0 <= r < r1 of X (k floats each), in place: `steps` CG
   * steps from x_r itself towards the solution of (G + Σ (c−1) y yᵀ) x = Σ c y, summed over the row's
   * entries p in indptr[r] .. indptr[r+1] (y = row indices[p] of Y, c = conf[p]; c = 0 skips the
   * entry). G (k x k, both triangles) is YᵀY + λI. Rows are independent.
   */
  alsCg(k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number): void;
  /**
   * alsCg for all n rows of X (X.length >= n k) at once, with the entries given by the transposed CSR:
   * indptr has a row per row u of Y, and its entries p name (row indices[p] of X, c = conf[p]). Same
   * systems, steps and early exits as alsCg over the untransposed rows (equal up to float rounding),
   * but each step streams Y and the CSR in order instead of gathering a row of Y per entry: faster
   * when Y is much larger than the cache and X's per-row state (4 n k floats) fits in it.
   */
  alsCgLockstep(k: number, n: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number): void;
  /**
   * The same systems solved exactly (Cholesky) into rows r0 <= r < r1 of X. Returns 0, or 1 + the
   * first row whose system is not positive definite (that row and later ones are left as they were).
   */
  alsCholesky(k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array): number;

  /**
   * One BPR epoch with adagrad: for each position, a negative drawn uniformly over the products (or,
   * with `popularity`, as a random entry of `indices`), skipped when held, then a step with weight
   * 1 − σ(d), d = score(held) − score(negative), score = x · y + b. Returns Σ −log σ(d).
   */
  bprEpoch(f: AdagradFactors, e: PairEpoch, popularity: boolean): number;
  /**
   * One WARP epoch with adagrad: for each position, products drawn uniformly until one not held scores
   * within 1 of the held one (at most maxSampled draws), then a step with weight
   * min(10, log(floor((products − 1) / draws))). Returns the summed weights.
   */
  warpEpoch(f: AdagradFactors, e: PairEpoch, maxSampled: number): number;
}
