// The adds task's lag-feature model: a multinomial logit over the products a customer does not hold,
//   P(adds j | state) = exp(b_j + sum_f x_f W[f, j]) / sum over products k not held of the same,
// with x the customer's attribute features and the lag features of its state at the end of the month
// before (./adds-features.ts). Trained on every month of the holdings (state at t - 1 -> products
// added in t), only on customers who added something: which product a customer adds is what ranks,
// whether they add at all does not change their order. Full product x feature weights fit a hazard that
// is log-linear in those features (as the generator's is: product weight x interest x season x
// co-holding lifts), which a low-rank factorization machine only approximates. Adagrad SGD with L2.
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { CsrMatrix, topK, type SideFeatures, type SparseRow, type TopK } from '../matrix/index.js';
import { LagFeatures, nextCalendarMonth, walkStates } from './adds-features.js';
import { BaseRecommender } from './base.js';
import { checkProduct, checkSameParams, csrArrays, csrFromState, notFitted, stateArray, stateCount } from './common.js';
import type { FitOptions, ModelState, TrainingSet } from './contract.js';
import { checkpoint } from './mf-common.js';
import type { DataNeeds } from './needs.js';
import { MAX_ITERATIONS, numberParam, parseParams, type RawParams } from './params.js';

const list = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[,+]/).map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.string()),
);

/** Customer attributes of the Santander layout that describe who adds what. */
export const DEFAULT_ADDS_ATTRIBUTES = ['age', 'renta', 'segmento', 'sexo', 'ind_actividad_cliente', 'antiguedad', 'canal_entrada'];

export const AddsLogitParams = z
  .object({
    epochs: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(4),
    learnRate: numberParam(z.number().positive()).default(0.05),
    reg: numberParam(z.number().min(0)).default(1e-5),
    /** Customer attributes used (numbers in quantile buckets); "none" for holdings alone. */
    customerAttributes: list.default(DEFAULT_ADDS_ATTRIBUTES),
    buckets: numberParam(z.number().int().min(2).max(100)).default(6),
    seed: numberParam(z.number().int()).default(1),
  })
  .strict();
export type AddsLogitParams = z.output<typeof AddsLogitParams>;

const usesAttributes = (p: AddsLogitParams): boolean => !(p.customerAttributes.length === 0 || p.customerAttributes.includes('none'));

/** The customer attributes the model trains on; those the store lacks are left out. */
export function addsLogitNeeds(raw: RawParams): DataNeeds | null {
  const p = parseParams('adds-logit', AddsLogitParams, raw);
  if (!usesAttributes(p)) return null;
  return { who: 'model "adds-logit"', customer: { attributes: p.customerAttributes, buckets: p.buckets, normalize: false } };
}

/** Growable int array. */
class Ints {
  a = new Int32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
}

export class AddsLogitRecommender extends BaseRecommender<AddsLogitParams> {
  readonly name = 'adds-logit';
  /** (attribute + lag features) x products, then the product biases. */
  private w: Float32Array | null = null;
  private attributes = 0;
  /** Customers x attribute features (as trained, or current ones through useFeatures). */
  private attr: CsrMatrix | null = null;
  /** Customers x lag features of the state at the end of the last month trained on. */
  private lag: CsrMatrix | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('adds-logit', AddsLogitParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    const h = data.holdings;
    if (!h)
      throw new NextbestError('UNSUITABLE_DATA', 'model adds-logit learns from monthly holdings; run it with --task adds on a store loaded from a Santander-layout file');
    const P = h.products.size;
    const C = h.customers.size;
    const T = h.months.length;
    const attr = data.customerFeatures?.matrix ?? CsrMatrix.empty(C, 0);
    if (attr.rows !== C) throw new NextbestError('INTERNAL', `adds-logit: ${attr.rows} attribute rows for ${C} customers`);
    const lagF = new LagFeatures(attr.cols, P);
    const F = attr.cols + lagF.count;

    // Training examples: the state at s of each customer who added something in s + 1.
    const ptr = new Ints();
    const feats = new Ints();
    const held = new Ints();
    const adds = new Ints();
    ptr.push(0);
    const scratch = new Int32Array(lagF.maxPerState);
    const stateRow = new Ints();
    const stateCol = new Ints();
    /** Customer u's lag features at the end of month s, into scratch; how many. */
    const lagOf = (u: number, s: number, run: Uint8Array): number =>
      lagF.write(h.masks[s][u], h.added(u, s), h.dropped(u, s), run, u * P, nextCalendarMonth(h.months[s]), scratch);
    walkStates(h, (s, run) => {
      if (s + 1 < T) {
        for (let u = 0; u < C; u++) {
          const a = h.added(u, s + 1);
          if (a === 0) continue;
          const n = lagOf(u, s, run);
          for (let k = attr.indptr[u]; k < attr.indptr[u + 1]; k++) feats.push(attr.indices[k]);
          for (let k = 0; k < n; k++) feats.push(scratch[k]);
          ptr.push(feats.n);
          held.push(h.masks[s][u] | 0);
          adds.push(a | 0);
        }
      } else {
        // The state to score from: lag features only (attributes stay apart, so current ones can replace them).
        for (let u = 0; u < C; u++) {
          if (!h.present(u, s)) continue;
          const n = lagOf(u, s, run);
          for (let k = 0; k < n; k++) (stateRow.push(u), stateCol.push(scratch[k]));
        }
      }
    });
    if (held.n === 0)
      throw new NextbestError('UNSUITABLE_DATA', `model adds-logit finds no customer who added a product in the ${T} months it trains on; it needs at least two months with adds between them`);

    const w = new Float32Array((F + 1) * P);
    const g2 = new Float32Array(w.length).fill(1e-8);
    const bias = F * P;
    const { epochs, learnRate, reg } = this.params;
    const rng = new Rng(this.params.seed);
    const order = Int32Array.from({ length: held.n }, (_, i) => i);
    const z = new Float64Array(P);
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      let loss = 0;
      for (const x of order) {
        const hm = held.a[x] >>> 0;
        const am = adds.a[x] >>> 0;
        const from = ptr.a[x];
        const to = ptr.a[x + 1];
        let max = -Infinity;
        for (let j = 0; j < P; j++) {
          if ((hm >>> j) & 1) continue;
          let s = w[bias + j];
          for (let k = from; k < to; k++) s += w[feats.a[k] * P + j];
          z[j] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let j = 0; j < P; j++) if (!((hm >>> j) & 1)) sum += z[j] = Math.exp(z[j] - max);
        let nAdds = 0;
        for (let j = 0; j < P; j++) if ((am >>> j) & 1) (nAdds++, (loss -= Math.log(Math.max(1e-300, z[j] / sum))));
        for (let j = 0; j < P; j++) {
          if ((hm >>> j) & 1) continue;
          const g = (nAdds * z[j]) / sum - ((am >>> j) & 1);
          const step = (at: number): void => {
            const gr = g + reg * w[at];
            g2[at] += gr * gr;
            w[at] -= (learnRate * gr) / Math.sqrt(g2[at]);
          };
          step(bias + j);
          for (let k = from; k < to; k++) step(feats.a[k] * P + j);
        }
      }
      opts?.onProgress?.({ iteration: e + 1, total: epochs, elapsedSeconds: (performance.now() - started) / 1000, loss: loss / order.length });
      await checkpoint(opts?.signal);
    }
    this.w = w;
    this.attributes = attr.cols;
    this.attr = attr;
    this.lag = CsrMatrix.fromCoo(C, F, stateRow.a.subarray(0, stateRow.n), stateCol.a.subarray(0, stateCol.n), new Float32Array(stateRow.n).fill(1));
    this.products = P;
  }

  useFeatures(features: { customer?: SideFeatures }): void {
    if (features.customer) this.attr = features.customer.matrix;
  }

  /** b_j plus the weights of the customer's attribute and lag features (its saved state; history is what it holds). */
  scoreInto(customer: number, _history: SparseRow, out: Float32Array): void {
    const { w, attr, lag } = this;
    if (!w || !attr || !lag) throw notFitted(this.name);
    const P = this.products;
    out.set(w.subarray(w.length - P));
    if (!(customer >= 0 && customer < lag.rows)) return;
    for (const m of [attr, lag])
      for (let k = m.indptr[customer]; k < m.indptr[customer + 1]; k++) {
        const at = m.indices[k] * P;
        for (let j = 0; j < P; j++) out[j] += w[at + j];
      }
  }

  /** The products whose chance of being added rises most when a product is held. */
  similarItems(products: Int32Array, k: number): TopK[] {
    if (!this.w) throw notFitted(this.name);
    const P = this.products;
    const skip = new Uint8Array(P);
    return Array.from(products, (p) => {
      checkProduct(p, P);
      skip[p] = 1;
      const list = topK(this.w!.subarray((this.attributes + p) * P, (this.attributes + p + 1) * P), Math.min(k, P - 1), skip);
      skip[p] = 0;
      return list;
    });
  }

  state(): ModelState {
    if (!this.w || !this.attr || !this.lag) throw notFitted(this.name);
    return {
      arrays: { w: this.w, ...csrArrays('attr', this.attr), ...csrArrays('lag', this.lag) },
      json: { params: this.params, products: this.products, customers: this.lag.rows, attributes: this.attributes, features: this.lag.cols },
    };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const products = stateCount(this.name, state, 'products');
    const customers = stateCount(this.name, state, 'customers');
    const features = stateCount(this.name, state, 'features');
    this.attributes = stateCount(this.name, state, 'attributes');
    this.w = stateArray(this.name, state, 'w', Float32Array, (features + 1) * products);
    this.attr = csrFromState(this.name, state, 'attr', customers, this.attributes);
    this.lag = csrFromState(this.name, state, 'lag', customers, features);
    this.products = products;
  }
}
