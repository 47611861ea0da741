// The model a server scores with, swapped whole: a request takes the current model once and keeps it to
// the end, so activating another model never fails a request in flight. A model that does not load is
// refused and the previous one keeps serving. Activations run one at a time, in the order asked.
import { basename } from 'node:path';
import { NextbestError } from '../core/errors.js';
import type { StoreAccess } from '../app/store-access.js';
import { readyForScoring, resolveModelPath } from '../app/model-files.js';
import { savedModelPath } from '../app/saved-models.js';
import { loadTrainedModel } from '../models/trained-model.js';
import { coldStartFor } from '../app/recommend.js';
import type { ColdStart } from '../models/cold-start.js';
import { indexesProducts } from '../models/factors/indexed-recommend.js';
import type { TrainedModel } from '../models/trained-model.js';
import type { LiveCustomers } from './live-customers.js';

/** From this many products on, a factor model's lists come from an HNSW index of its product factors (usearch). */
export const INDEX_FROM = 10_000;

export interface Served {
  /** The model's name (its file name without .nbm). */
  name: string;
  path: string;
  trained: TrainedModel;
  activatedAt: Date;
  /** Cold-start shares by segment attribute, counted on first use. */
  coldStarts: Map<string, Promise<ColdStart>>;
  /** The store's product descriptions that name products in reasons, read on first use. */
  descriptions?: Promise<ReadonlyMap<string, string>>;
  /** Whether a customer may have events since the model's training (only those are read from the store per request). */
  mayHaveLiveEvents: (customer: string) => boolean;
}

export class ActiveModel {
  private served: Served | null = null;
  /** Models requests named besides the active one (forRequest), by name. */
  private readonly others = new Map<string, Promise<Served>>();
  /** The activation in progress, which the next one waits for. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: StoreAccess,
    private readonly live: LiveCustomers,
  ) {}

  /** The model serving now, or null while none is active. */
  get current(): Served | null {
    return this.served;
  }

  /** The model serving now; MODEL_NOT_FOUND while none is active. */
  require(): Served {
    if (!this.served) throw new NextbestError('MODEL_NOT_FOUND', 'the server has no active model; train one (nextbest train --model NAME) and activate it');
    return this.served;
  }

  /** Loads a model by name or .nbm path (default the newest saved) and makes it current once it has loaded. */
  activate(model?: string): Promise<Served> {
    return this.swapIn(() => {
      const path = resolveModelPath(model, this.store.name);
      return { name: basename(path, '.nbm'), path, trained: loadTrainedModel(path) };
    });
  }

  /**
   * Makes a model current once it has loaded (checksum checked) and been given the store's side
   * features; a load that throws leaves the current model serving.
   */
  swapIn(load: () => Pick<Served, 'name' | 'path' | 'trained'>): Promise<Served> {
    const next = this.queue.then(async () => {
      const served = await this.prepare(load);
      this.served = served;
      return served;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The model a request names: the active one, or another saved model, loaded on first use and kept while
   * the server runs (it is not activated; a file trained again later is read again only after a restart).
   */
  forRequest(name?: string): Promise<Served> {
    const active = this.require();
    if (name === undefined || name === active.name) return Promise.resolve(active);
    let other = this.others.get(name);
    if (!other) {
      other = this.prepare(() => {
        const path = savedModelPath(this.store.name, name);
        return { name, path, trained: loadTrainedModel(path) };
      });
      this.others.set(name, other);
      other.catch(() => this.others.delete(name)); // a model that failed to load is tried again next time
    }
    return other;
  }

  /** A loaded model ready to score: the store's side features, an index for a large catalogue, who may have live events. */
  private async prepare(load: () => Pick<Served, 'name' | 'path' | 'trained'>): Promise<Served> {
    const { name, path, trained } = load();
    const ready = await readyForScoring(this.store, trained);
    if (indexesProducts(ready.model) && ready.products.size >= INDEX_FROM) ready.model.indexProducts();
    const mayHaveLiveEvents = await this.store.use((store) => this.live.forModel(store, ready));
    return { name, path, trained: ready, activatedAt: new Date(), coldStarts: new Map(), mayHaveLiveEvents };
  }

  /** The store's product descriptions for the served model's reasons, read once while it serves. */
  descriptions(served: Served): Promise<ReadonlyMap<string, string>> {
    if (!served.descriptions) {
      const read = this.store.use((store) => store.productDescriptions());
      served.descriptions = read;
      // A read that failed (the store was unreachable) is tried again by the next request.
      read.catch(() => {
        if (served.descriptions === read) served.descriptions = undefined;
      });
    }
    return served.descriptions;
  }

  /** The served model's cold-start shares by a segment attribute of the store's customers, counted once. */
  coldStart(served: Served, segmentAttribute: string): Promise<ColdStart> {
    let c = served.coldStarts.get(segmentAttribute);
    if (!c) {
      const counted = this.store.use((store) => coldStartFor(served.trained, store, segmentAttribute));
      served.coldStarts.set(segmentAttribute, counted);
      counted.catch(() => {
        if (served.coldStarts.get(segmentAttribute) === counted) served.coldStarts.delete(segmentAttribute);
      });
      c = counted;
    }
    return c;
  }
}
