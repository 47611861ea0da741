// `nextbest ingest [--format F] INPUT`: validate and load a file or folder into the store.
import type { Command } from 'commander';
import { NextbestError } from '../../core/errors.js';
import { detectFormat, getLoader, LOADERS } from '../../data/formats/index.js';
import type { IngestReport, Store } from '../../store/store.js';
import { withCommon, withStore, type CommonOptions } from '../common.js';
import { formatNumber, printJson } from '../output.js';
import { progressBar } from '../progress.js';

interface IngestOptions extends CommonOptions {
  format?: string;
  mapping?: string;
  rejects?: string;
}

/** A load's report and what the input lacked though it loaded (also printed on stderr, one line each). */
export type IngestResult = IngestReport & { warnings: string[] };

export async function ingestInput(store: Store, input: string, opts: IngestOptions): Promise<IngestResult> {
  const format = opts.format ?? (await detectFormat(input));
  if (!format) {
    throw new NextbestError(
      'UNKNOWN_FORMAT',
      `cannot tell the format of ${input}; pass --format (one of ${LOADERS.map((l) => l.format).join(', ')})`,
    );
  }
  const loader = getLoader(format);
  const bar = progressBar(`ingest ${format}`, !!opts.json);
  const warnings: string[] = [];
  const onWarning = (message: string): void => {
    warnings.push(message);
    process.stderr.write(`nextbest: warning: ${message}\n`);
  };
  try {
    const report = await store.ingest(loader, input, {
      mapping: opts.mapping,
      rejectsPath: opts.rejects,
      onProgress: bar.update,
      onWarning,
    });
    return { ...report, warnings };
  } finally {
    bar.stop();
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
    const report = await withStore(opts, (store) => ingestInput(store, input, opts), 'write');
    printIngest(report, opts.json);
  });
}
