// One attribute's value for each customer or product that has it, read from the store's attribute scan:
// a string as it is, a number as its decimal text, and null where the store holds the attribute as
// missing (both columns null). Ids without the attribute are not in the map; `ids` keeps only those asked for.
import type { TrainingSource } from '../data/rows.js';

export async function attributeValues(
  store: Pick<TrainingSource, 'attributes'>,
  entity: 'customer' | 'product',
  name: string,
  ids?: { has(id: string): boolean },
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for await (const rows of store.attributes(entity))
    for (const r of rows) if (r.name === name && (ids === undefined || ids.has(r.id))) out.set(r.id, r.str ?? (r.num === null ? null : String(r.num)));
  return out;
}
