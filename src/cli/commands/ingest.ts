// `nextbest ingest [--format F] INPUT`: validate and load a file or folder into the store.
import type { Command } from 'commander';
import { ingest, type IngestResult } from '../../app/ingest.js';
import { LOADERS } from '../../data/formats/index.js';
import type { IngestReport } from '../../store/store.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { formatNumber, printJson } from '../output.js';
import { progressBar, type Progress } from '../progress.js';

interface IngestOptions extends CommonOptions {
  format?: string;
  mapping?: string;
  rejects?: string;
}

/** Loads input with a progress bar (once the format is known) and each warning on stderr. */
export async function ingestInput(input: string, opts: IngestOptions): Promise<IngestResult> {
  let bar: Progress | null = null;
  try {
    return await ingest(storeAccess(opts), {
      input,
      format: opts.format,
      mapping: opts.mapping,
      rejects: opts.rejects,
      onFormat: (format) => (bar = progressBar(`ingest ${format}`, !!opts.json)),
      onProgress: (fraction) => bar?.update(fraction),
      onWarning: (message) => process.stderr.write(`nextbest: warning: ${message}\n`),
    });
  } finally {
    (bar as Progress | null)?.stop();
  }
}

export function printIngest(r: IngestReport, json: boolean | undefined): void {
  if (json) {
    printJson(r);
    return;
  }
  process.stdout.write(
    `${r.format} ${r.source}: ${formatNumber(r.customers)} customers, ${formatNumber(r.products)} products, ` +
      `${formatNumber(r.offers)} offers, ${formatNumber(r.events)} events, ${formatNumber(r.holdings)} holdings ` +
      `(new to the store: ${formatNumber(r.added.events)} events, ${formatNumber(r.added.customers)} customers) ` +
      `in ${r.seconds.toFixed(1)} s\n`,
  );
  if (r.rejectsFile) process.stdout.write(`rejected rows are listed in ${r.rejectsFile}\n`);
  if (r.accepted !== r.events)
    process.stdout.write('(rows below are the input\'s rows of every kind: customers, products, offers, events, monthly snapshots; an event loaded twice is stored once)\n');
  process.stdout.write(`${formatNumber(r.accepted)} accepted, ${formatNumber(r.rejected)} rejected\n`);
}

export function registerIngest(program: Command): void {
  withCommon(
    program
      .command('ingest')
      .description('validate and load a file or folder into the store')
      .argument('<input>', 'file or folder to load')
      .option('--format <format>', `input format: ${LOADERS.map((l) => l.format).join(', ')} (default: detected)`)
      .option('--mapping <file>', 'JSON column mapping for the event CSV, e.g. {"Idcol": "customer_id"}')
      .option('--rejects <file>', 'where to write rejected rows (default: beside the store)'),
  ).action(async (input: string, opts: IngestOptions) => {
    const report = await ingestInput(input, opts);
    printIngest(report, opts.json);
  });
}
