// The store's IngestSink: appends entities into temporary staging tables with DuckDB appenders.
// Nothing reaches the real tables until merge.ts runs, in one transaction, after the loader succeeded.
// Attributes are staged without their missing (null) values, so a merge never erases a known value.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Attributes, Context, Customer, Event, Offer, Product } from '../../data/model.js';
import type { RejectsFile } from '../../data/rejects.js';
import type { IngestSink, SnapshotCounts, SnapshotSpec } from '../../data/sink.js';
import { APPENDED_TABLES, STAGING_SQL } from './schema.js';
import { loadSnapshots } from './snapshots.js';

/** Context maps are stored as JSON with sorted keys, so equal contexts compare equal in SQL. */
export const contextJson = (ctx: Context): string => {
  const keys = Object.keys(ctx);
  if (keys.length === 0) return '{}';
  keys.sort();
  const sorted: Record<string, string> = {};
  for (const k of keys) sorted[k] = ctx[k];
  return JSON.stringify(sorted);
};

/** Attributes as JSON, without the missing ones (the store's representation: a missing value is an absent key). */
const presentJson = (attributes: Attributes): string =>
  JSON.stringify(Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null)));

const seconds = (d: Date | null): number | null => (d === null ? null : d.getTime() / 1000);

type Table = (typeof APPENDED_TABLES)[number];

export class StagingSink implements IngestSink {
  private appenders = new Map<Table, DuckDBAppender>();
  private seq = 0;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly rejects: RejectsFile,
  ) {}

  static async open(conn: DuckDBConnection, rejects: RejectsFile): Promise<StagingSink> {
    await conn.run(STAGING_SQL);
    const sink = new StagingSink(conn, rejects);
    for (const t of APPENDED_TABLES) sink.appenders.set(t, await conn.createAppender(t));
    return sink;
  }

  private app(t: Table): DuckDBAppender {
    return this.appenders.get(t) as DuckDBAppender;
  }

  customer(c: Customer): void {
    const a = this.app('stage_customers');
    a.appendBigInt(BigInt(++this.seq));
    a.appendVarchar(c.id);
    a.appendVarchar(presentJson(c.attributes));
    a.endRow();
  }

  product(p: Product): void {
    const a = this.app('stage_products');
    a.appendBigInt(BigInt(++this.seq));
    a.appendVarchar(p.id);
    a.appendVarchar(p.type);
    a.appendVarchar(p.description);
    a.appendVarchar(presentJson(p.attributes));
    a.endRow();
  }

  productHint(p: Product): void {
    const a = this.app('stage_product_hints');
    a.appendBigInt(BigInt(++this.seq));
    a.appendVarchar(p.id);
    a.appendVarchar(p.type);
    a.appendVarchar(p.description);
    a.endRow();
  }

  offer(o: Offer): void {
    const a = this.app('stage_offers');
    a.appendBigInt(BigInt(++this.seq));
    a.appendVarchar(o.id);
    a.appendVarchar(o.productId);
    a.appendVarchar(o.reward);
    for (const v of [o.rewardValue, seconds(o.validFrom), seconds(o.validTo)]) {
      if (v === null) a.appendNull();
      else a.appendDouble(v);
    }
    a.appendVarchar(JSON.stringify(o.eligibility));
    a.endRow();
  }

  event(e: Event): void {
    const a = this.app('stage_events');
    a.appendVarchar(e.customerId);
    a.appendVarchar(e.productId);
    a.appendDouble(e.timestamp.getTime() / 1000);
    a.appendVarchar(e.type);
    a.appendDouble(e.value);
    a.appendVarchar(contextJson(e.context));
    a.endRow();
  }

  reject(line: number, reason: string, raw: string): void {
    this.rejects.add(line, reason, raw);
  }

  async snapshots(spec: SnapshotSpec, onProgress?: (fraction: number) => void): Promise<SnapshotCounts> {
    this.flush();
    return loadSnapshots(this.conn, spec, this.rejects, onProgress);
  }

  /** Makes every appended row visible to SQL on this connection. */
  flush(): void {
    for (const a of this.appenders.values()) a.flushSync();
  }

  close(): void {
    for (const a of this.appenders.values()) a.closeSync();
    this.appenders.clear();
  }
}
