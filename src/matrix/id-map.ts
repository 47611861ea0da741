// Dense int32 indices for string ids, so matrices and typed arrays can address customers, products
// and features by position. Indices are assigned in insertion order and never change.
import { NextbestError } from '../core/errors.js';

export class IdMap {
  private readonly byId = new Map<string, number>();
  private readonly list: string[] = [];

  static from(ids: Iterable<string>): IdMap {
    const map = new IdMap();
    for (const id of ids) map.add(id);
    return map;
  }

  /** Inverse of toJSON; rejects anything but an array of distinct strings. */
  static fromJSON(json: unknown): IdMap {
    if (!Array.isArray(json)) throw new NextbestError('CORRUPT_MODEL', 'an id map must be saved as an array of ids');
    const map = new IdMap();
    for (const id of json) {
      if (typeof id !== 'string') throw new NextbestError('CORRUPT_MODEL', `an id map holds a non-string id: ${String(id)}`);
      if (map.has(id)) throw new NextbestError('CORRUPT_MODEL', `an id map holds the id "${id}" twice`);
      map.add(id);
    }
    return map;
  }

  get size(): number {
    return this.list.length;
  }

  /** Index of id, adding it if new. */
  add(id: string): number {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const i = this.list.length;
    this.byId.set(id, i);
    this.list.push(id);
    return i;
  }

  /** Index of id, or -1 when absent. */
  index(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  id(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.list.length)
      throw new NextbestError('INTERNAL', `index ${i} is outside the id map (size ${this.list.length})`);
    return this.list[i];
  }

  /** The ids in index order; a live view, so callers must not mutate it. */
  ids(): readonly string[] {
    return this.list;
  }

  toJSON(): string[] {
    return this.list.slice();
  }
}
