// `nextbest serve`: the HTTP API over a store and a trained model, until Ctrl-C or SIGTERM.
import type { Command } from 'commander';
import { build } from '../../server/build.js';
import { listen } from '../../server/listen.js';
import { positiveInt } from '../args.js';
import { withCommon, type CommonOptions } from '../common.js';
import { stopOnSignals } from '../interrupt.js';

interface ServeOptions extends CommonOptions {
  model?: string;
  host: string;
  port: number;
  segmentAttribute: string;
  log?: boolean;
  rules?: string;
}

export function registerServe(program: Command): void {
  withCommon(
    program
      .command('serve')
      .description('serve recommendations, events and models over HTTP (OpenAPI at /openapi.json, try it at /docs)')
      .option('--model <name|file.nbm>', 'the model to serve (default: the newest in the models folder)')
      .option('--host <address>', 'the address to listen on', '127.0.0.1')
      .option('--port <n>', 'the port (0: any free port)', positiveInt('--port', 0), 8080)
      .option('--segment-attribute <name>', 'the customer attribute whose popular products a customer without history gets', 'segment')
      .option('--log', 'log every request (JSON lines on stdout)')
      .option('--rules <file.json>', 'business rules every list goes through (see README, "Business rules")'),
  ).action(async (opts: ServeOptions) => {
    const app = await build({ store: opts.store, model: opts.model, segmentAttribute: opts.segmentAttribute, logger: opts.log, rules: opts.rules });
    const url = await listen(app, { host: opts.host, port: opts.port });
    stopOnSignals(() => app.close());
    const served = app.nextbest.models.require();
    if (opts.json) process.stdout.write(`${JSON.stringify({ url, model: served.name, docs: `${url}/docs`, rules: opts.rules ?? null })}\n`);
    else {
      const rules = opts.rules ? ` with the business rules of ${opts.rules}` : '';
      process.stdout.write(`nextbest: serving ${served.name}${rules} on ${url} (API page ${url}/docs, OpenAPI ${url}/openapi.json); Ctrl-C stops\n`);
      const customer = served.trained.customers.size ? served.trained.customers.id(0) : 'C1';
      process.stdout.write(`try: curl '${url}/v1/customers/${customer}/recommendations?k=5'\n`);
    }
  });
}
