// Does ranking with the request's context beat the same model without it? On a split's held-out
// events, one trained model scores every display twice: in the display's own context (time of day,
// page, ...) and in the training-average context. Click AUC: how well each scoring separates the
// displays the customer clicked (a click on the same product within `window` seconds) from the ones
// it did not, with a paired bootstrap over customers of the difference. NDCG@k per held-out click:
// where the clicked product lands in the customer's list ranked in the click's context, or without it.
import { NextbestError } from '../core/errors.js';
import type { EventType } from '../data/model.js';
import { EVENT_TYPES } from '../data/model.js';
import type { EventLog } from '../matrix/index.js';
import type { RequestContext, ScoringRequest } from '../models/contract.js';
import type { TrainedModel } from '../models/trained-model.js';
import { bootstrapCI, type ConfidenceInterval } from './metrics/bootstrap.js';
import { pairedAuc, type PairedAuc } from './metrics/paired-auc.js';

export interface ContextEvaluationOptions {
  /** List length of NDCG. */
  k: number;
  /** Seconds after a display within which a click on the same product counts as its click. */
  window: number;
  /** Bootstrap resamples. */
  bootstrap: number;
  seed?: number;
}

export interface ContextEvaluation {
  /** Held-out displays scored (customers with training history, products the model knows). */
  displays: number;
  clicked: number;
  /** Customers among them (the bootstrap's clusters). */
  customers: number;
  /** Click AUC in the display's context (a) and in the training-average context (b). */
  auc: PairedAuc;
  /** NDCG@k of each held-out click, in its context and without. */
  ndcg: { clicks: number; withContext: number; without: number; difference: ConfidenceInterval };
}

const DISPLAY = EVENT_TYPES.indexOf('display' as EventType);
const CLICK = EVENT_TYPES.indexOf('click' as EventType);

/** An event's context as key -> value. */
function contextOf(log: EventLog, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let t = log.contextPtr[i]; t < log.contextPtr[i + 1]; t++) {
    const name = log.contexts.id(log.contextIds[t]);
    const at = name.indexOf('=');
    out[name.slice(0, at)] = name.slice(at + 1);
  }
  return out;
}

/**
 * test shares the id maps of the log the model was trained on (a split's test part); encode turns an
 * event's context into the model's columns (undefined: nothing the model knows).
 */
export function evaluateContext(
  trained: TrainedModel,
  test: EventLog,
  encode: (context: Record<string, string>) => RequestContext | undefined,
  opts: ContextEvaluationOptions,
): ContextEvaluation {
  const { history } = trained;
  const P = trained.products.size;
  const scored = (u: number, j: number): boolean => u < history.rows && history.indptr[u + 1] > history.indptr[u] && j < P;
  const clicks = new Map<string, number[]>();
  for (let i = 0; i < test.length; i++)
    if (test.type[i] === CLICK) {
      const key = `${test.customer[i]}:${test.product[i]}`;
      const list = clicks.get(key);
      if (list) list.push(test.time[i]);
      else clicks.set(key, [test.time[i]]);
    }
  const scores = new Float32Array(P);
  const score = (u: number, request: ScoringRequest | undefined): Float32Array => {
    trained.model.scoreInto(u, history.row(u), scores, false, request);
    return scores;
  };
  const labels: number[] = [];
  const withContext: number[] = [];
  const without: number[] = [];
  const cluster: number[] = [];
  const clusterOf = new Map<number, number>();
  const ndcgWith: number[] = [];
  const ndcgWithout: number[] = [];
  for (let i = 0; i < test.length; i++) {
    const type = test.type[i];
    const u = test.customer[i];
    const j = test.product[i];
    if ((type !== DISPLAY && type !== CLICK) || !scored(u, j)) continue;
    const context = encode(contextOf(test, i));
    const request = context ? { context } : undefined;
    if (type === DISPLAY) {
      const t = test.time[i];
      labels.push((clicks.get(`${u}:${j}`) ?? []).some((c) => c >= t && c <= t + opts.window) ? 1 : 0);
      withContext.push(score(u, request)[j]);
      without.push(score(u, undefined)[j]);
      if (!clusterOf.has(u)) clusterOf.set(u, clusterOf.size);
      cluster.push(clusterOf.get(u) as number);
    } else {
      ndcgWith.push(ndcgOf(score(u, request), j, history.row(u).indices, opts.k));
      ndcgWithout.push(ndcgOf(score(u, undefined), j, history.row(u).indices, opts.k));
    }
  }
  const clicked = labels.reduce((n, y) => n + y, 0);
  if (!clicked || clicked === labels.length)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `the held-out events hold ${labels.length} displays of customers with training history, ${clicked} of them clicked: a click AUC needs clicked and unclicked displays; evaluate on data with display and click events (e.g. nextbest generate)`,
    );
  const boot = { samples: opts.bootstrap, seed: opts.seed ?? 1 };
  const auc = pairedAuc(Uint8Array.from(labels), withContext, without, Int32Array.from(cluster), boot);
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / (x.length || 1);
  return {
    displays: labels.length,
    clicked,
    customers: clusterOf.size,
    auc,
    ndcg: {
      clicks: ndcgWith.length,
      withContext: mean(ndcgWith),
      without: mean(ndcgWithout),
      difference: bootstrapCI(Float64Array.from(ndcgWith, (x, t) => x - ndcgWithout[t]), boot),
    },
  };
}

/** NDCG@k of one relevant product in scores' ranking, the customer's held products left out. */
function ndcgOf(scores: Float32Array, product: number, held: Int32Array, k: number): number {
  const x = scores[product];
  let above = 0;
  const skip = new Set(held);
  for (let p = 0; p < scores.length; p++) if (p !== product && !skip.has(p) && (scores[p] > x || (scores[p] === x && p < product))) above++;
  return above < k ? 1 / Math.log2(above + 2) : 0;
}
