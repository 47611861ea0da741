// `nextbest export-libfm --out FILE`: the store's events as libFM text (target = event value;
// customer and product one-hot, context as extra features) for running the same data through libFM.
import type { Command } from 'commander';
import { NextbestError } from '../../core/errors.js';
import { exportLibfm, type LibfmRow } from '../../data/formats/libfm.js';
import { EVENT_TYPES, type EventType } from '../../data/model.js';
import type { Store } from '../../store/store.js';
import { withCommon, withStore, type CommonOptions } from '../common.js';
import { prepareOutputFile } from '../output-file.js';
import { formatNumber, printJson } from '../output.js';

interface ExportOptions extends CommonOptions {
  out: string;
  types?: string;
  context: boolean;
}

function parseTypes(list: string | undefined): EventType[] | undefined {
  if (!list) return undefined;
  const types = list.split(',').map((t) => t.trim());
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) {
    throw new NextbestError('BAD_OPTION', `unknown event type ${unknown.join(', ')}; use ${EVENT_TYPES.join(', ')}`);
  }
  return types as EventType[];
}

async function* rows(store: Store, types: EventType[] | undefined, context: boolean): AsyncGenerator<LibfmRow> {
  for await (const b of store.events(types)) {
    for (let i = 0; i < b.length; i++) {
      const row: LibfmRow = { customerId: b.customer[i], productId: b.product[i], value: b.value[i] };
      if (context && b.context[i] !== '{}') {
        const features: Record<string, number> = {};
        for (const [k, v] of Object.entries(JSON.parse(b.context[i]) as Record<string, string>)) features[`${k}=${v}`] = 1;
        row.features = features;
      }
      yield row;
    }
  }
}

export function registerExportLibfm(program: Command): void {
  withCommon(
    program
      .command('export-libfm')
      .description('write the store\'s events as a libFM / libSVM text file (plus FILE.map.json naming each feature)')
      .requiredOption('--out <file>', 'the libFM file to write')
      .option('--types <list>', `event types to export, comma-separated (default: all)`)
      .option('--no-context', 'leave out the context features'),
  ).action(async (opts: ExportOptions) => {
    const types = parseTypes(opts.types);
    prepareOutputFile(opts.out);
    const counts = await withStore(opts, (store) => exportLibfm(rows(store, types, opts.context), opts.out));
    if (opts.json) printJson({ out: opts.out, ...counts });
    else process.stdout.write(`wrote ${formatNumber(counts.rows)} rows, ${formatNumber(counts.features)} features to ${opts.out} (names in ${counts.mapPath})\n`);
  });
}
