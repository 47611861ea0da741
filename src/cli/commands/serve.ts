// `nextbest serve`: the HTTP API over a store and a trained model, until Ctrl-C or SIGTERM.
import type { Command } from 'commander';
import { ENV_KEYS, loadKeys } from '../../app/api-keys.js';
import { parseRate } from '../../app/rate.js';
import { build } from '../../server/build.js';
import { checkExposure, listen } from '../../server/listen.js';
import { positiveInt } from '../args.js';
import { withCommon, type CommonOptions } from '../common.js';
import { stopOnSignals } from '../interrupt.js';

interface ServeOptions extends CommonOptions {
  model?: string;
  host: string;
  port: number;
  segmentAttribute: string;
  log?: boolean;
  keys?: string;
  rateLimit?: string;
  bodyLimit: number;
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
      .option('--keys <file>', `API keys, a JSON list [{name, hash, scope}] (nextbest keys create makes one; also ${ENV_KEYS}); without keys only 127.0.0.1 is served`)
      .option('--rate-limit <rate>', 'requests per API key (per address without keys), e.g. 100/s or 6000/min (default: unlimited)')
      .option('--body-limit <bytes>', 'the largest request body accepted', positiveInt('--body-limit'), 1024 * 1024)
      .option('--log', 'log every request (JSON lines on stdout)'),
  ).action(async (opts: ServeOptions) => {
    const keys = loadKeys(opts.keys);
    const rateLimit = opts.rateLimit === undefined ? undefined : parseRate(opts.rateLimit, '--rate-limit');
    checkExposure(opts.host, keys.length);
    const app = await build({ store: opts.store, model: opts.model, segmentAttribute: opts.segmentAttribute, logger: opts.log, keys, rateLimit, bodyLimit: opts.bodyLimit });
    const url = await listen(app, { host: opts.host, port: opts.port }).catch(async (e: unknown) => {
      await app.close();
      throw e;
    });
    stopOnSignals(() => app.close());
    const served = app.nextbest.models.require();
    if (opts.json) process.stdout.write(`${JSON.stringify({ url, model: served.name, docs: `${url}/docs`, keys: keys.length })}\n`);
    else {
      process.stdout.write(`nextbest: serving ${served.name} on ${url} (API page ${url}/docs, OpenAPI ${url}/openapi.json); Ctrl-C stops\n`);
      process.stdout.write(
        keys.length
          ? `nextbest: ${keys.length} API key${keys.length === 1 ? '' : 's'}; requests need Authorization: Bearer <key>\n`
          : `nextbest: no API keys, so this machine only (loopback); give --keys FILE or ${ENV_KEYS} to serve other hosts\n`,
      );
      const customer = served.trained.customers.size ? served.trained.customers.id(0) : 'C1';
      process.stdout.write(`try: curl ${keys.length ? "-H 'Authorization: Bearer <key>' " : ''}'${url}/v1/customers/${customer}/recommendations?k=5'\n`);
    }
  });
}
