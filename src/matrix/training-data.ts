// Builds the training views straight from a TrainingSource (the store): the columnar event log with
// every customer and product indexed (cold-start ones included) and the side-feature matrices.
import type { EventType } from '../data/model.js';
import type { AttributeRow, TrainingSource } from '../data/rows.js';
import { EventLogBuilder, type EventLog } from './event-log.js';
import type { IdMap } from './id-map.js';
import { buildSideFeatures, type SideFeatureOptions, type SideFeatures } from './side-features.js';

export interface LoadLogOptions {
  /** Only these event types (default: all). */
  types?: readonly EventType[];
}

export async function loadEventLog(source: TrainingSource, opts: LoadLogOptions = {}): Promise<EventLog> {
  const builder = new EventLogBuilder();
  for await (const ids of source.ids('customer')) for (const id of ids) builder.addCustomer(id);
  for await (const ids of source.ids('product')) for (const id of ids) builder.addProduct(id);
  const parsed = new Map<string, Record<string, string>>(); // contexts repeat: parse each distinct one once
  for await (const b of source.events(opts.types)) {
    for (let i = 0; i < b.length; i++) {
      const json = b.context[i];
      let context = parsed.get(json);
      if (!context) {
        context = JSON.parse(json) as Record<string, string>;
        if (parsed.size < 100_000) parsed.set(json, context);
      }
      builder.add(b.customer[i], b.product[i], b.time[i], b.type[i], b.value[i], context);
    }
  }
  return builder.build();
}

export async function loadSideFeatures(
  source: TrainingSource,
  entity: 'customer' | 'product',
  entities: IdMap,
  opts: SideFeatureOptions = {},
): Promise<SideFeatures> {
  const rows: AttributeRow[] = [];
  for await (const batch of source.attributes(entity)) for (const r of batch) rows.push(r);
  return buildSideFeatures(entities, rows, opts);
}
