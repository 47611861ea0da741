// `nextbest pipeline export --model NAME [--rules FILE] --out FILE.nbp`: one versioned, checksummed file
// with the model, its id maps and feature encoding, the rules and the store's offers, for
// `nextbest serve --pipeline FILE`.
import type { Command } from 'commander';
import { exportPipeline } from '../../app/pipeline.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { printJson } from '../output.js';

interface PipelineExportOptions extends CommonOptions {
  model?: string;
  rules?: string;
  out: string;
}

export function registerPipeline(program: Command): void {
  const pipeline = program.command('pipeline').description('package a trained model with the rules and offers into one deployable file');
  withCommon(
    pipeline
      .command('export')
      .description('write the model, its id maps and feature encoding, the rules and the store\'s offers to one checksummed .nbp file')
      .option('--model <name|file.nbm>', 'the saved model (default: the newest in the models folder)')
      .option('--rules <file.json>', 'the business rules (JSON), stored as given')
      .requiredOption('--out <file.nbp>', 'where to write the pipeline'),
  )
    .hook('preAction', (_, action) => {
      action.setOptionValue('command', 'nextbest pipeline export');
    })
    .action(async (opts: PipelineExportOptions) => {
      const r = await exportPipeline(storeAccess(opts), { model: opts.model, rules: opts.rules, out: opts.out });
      if (opts.json) printJson(r);
      else
        process.stdout.write(
          `wrote ${r.out} (${(r.bytes / 1024).toFixed(1)} KiB): ${r.model.name} (${r.model.model}, ${r.model.customers.toLocaleString('en-US')} customers, ` +
            `${r.model.products.toLocaleString('en-US')} products), ${r.offers} offers, ${r.rules ? 'rules' : 'no rules'}; serve it with nextbest serve --pipeline ${r.out}\n`,
        );
    });
}
