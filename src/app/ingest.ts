// Loading a file or folder into the store: the format named or detected, the load's report, and the
// warnings on what the input lacked though it loaded.
import { join } from 'node:path';
import { NextbestError } from '../core/errors.js';
import { detectFormat, getLoader, LOADERS } from '../data/formats/index.js';
import type { IngestReport } from '../store/store.js';
import type { StoreAccess } from './store-access.js';
import { storeFolder } from './store-folder.js';

export interface IngestRequest {
  input: string;
  /** Default: detected from the header or the folder's files. */
  format?: string;
  /** JSON column mapping for the event CSV. */
  mapping?: string;
  /** Where rejected rows go; default beside the store. */
  rejects?: string;
  /** Told the format once it is known (before the load starts). */
  onFormat?: (format: string) => void;
  onProgress?: (fraction: number) => void;
  /** Each warning as it arises (it is also in the result). */
  onWarning?: (message: string) => void;
}

/** A load's report and what the input lacked though it loaded. */
export type IngestResult = IngestReport & { warnings: string[] };

export async function ingest(store: StoreAccess, req: IngestRequest): Promise<IngestResult> {
  return store.use(async (s) => {
    const format = req.format ?? (await detectFormat(req.input));
    if (!format) {
      throw new NextbestError(
        'UNKNOWN_FORMAT',
        `cannot tell the format of ${req.input}; pass --format (one of ${LOADERS.map((l) => l.format).join(', ')})`,
      );
    }
    const loader = getLoader(format);
    req.onFormat?.(format);
    const warnings: string[] = [];
    const report = await s.ingest(loader, req.input, {
      mapping: req.mapping,
      rejectsPath: req.rejects,
      // Beside the models and reports: NEXTBEST_HOME for a PostgreSQL store.
      rejectsDir: join(storeFolder(store.name), 'rejects'),
      onProgress: (fraction) => req.onProgress?.(fraction),
      onWarning: (message) => {
        warnings.push(message);
        req.onWarning?.(message);
      },
    });
    return { ...report, warnings };
  }, 'write');
}
