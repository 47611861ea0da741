// `nextbest serve`: the HTTP API over a store and a trained model, until Ctrl-C or SIGTERM.
import type { Command } from 'commander';
import { ENV_KEYS, loadKeys } from '../../app/api-keys.js';
import { DEFAULT_EV_WEIGHT } from '../../app/expected-value.js';
import { parseRate } from '../../app/rate.js';
import { build, type App } from '../../server/build.js';
import type { ServerOptions } from '../../server/context.js';
import { checkExposure, listen } from '../../server/listen.js';
import { positiveInt, unitInterval } from '../args.js';
import { withCommon, type CommonOptions } from '../common.js';
import { stopOnSignals } from '../interrupt.js';
import { DEFAULT_EXPLORE_AGE_DAYS } from '../../models/exploration.js';

interface ServeOptions extends CommonOptions {
  model?: string;
  pipeline?: string;
  host: string;
  port: number;
  segmentAttribute: string;
  log?: boolean;
  acceptModel?: string;
  evWeight: number;
  rules?: string;
  keys?: string;
  rateLimit?: string;
  bodyLimit: number;
  explore?: number;
  exploreAgeDays: number;
}

/** Builds the server, listens, and closes it gracefully on Ctrl-C or SIGTERM. */
export async function serve(opts: ServerOptions & { host: string; port: number }): Promise<{ app: App; url: string }> {
  checkExposure(opts.host, opts.keys?.length ?? 0);
  const app = await build(opts);
  try {
    const url = await listen(app, { host: opts.host, port: opts.port });
    stopOnSignals(() => app.close());
    return { app, url };
  } catch (e) {
    await app.close();
    throw e;
  }
}

export function registerServe(program: Command): void {
  withCommon(
    program
      .command('serve')
      .description('serve recommendations, events and models over HTTP (OpenAPI at /openapi.json, try it at /docs)')
      .option('--model <name|file.nbm>', 'the model to serve (default: the newest in the models folder)')
      .option('--pipeline <file.nbp>', 'serve from a pipeline file (nextbest pipeline export): its model, rules and offers; the store gives histories and takes events')
      .option('--host <address>', 'the address to listen on', '127.0.0.1')
      .option('--port <n>', 'the port (0: any free port)', positiveInt('--port', 0), 8080)
      .option('--segment-attribute <name>', 'the customer attribute whose popular products a customer without history gets', 'segment')
      .option('--accept-model <name|file.nbm>', 'the accept / decline model behind expected value (default: fm-classification when trained)')
      .option('--ev-weight <w>', 'default weight of expected value against relevance in a customer\'s offers, 0 to 1', unitInterval('--ev-weight'), DEFAULT_EV_WEIGHT)
      .option('--rules <file.json>', 'business rules every list goes through (see README, "Business rules"; default: the pipeline\'s, if any)')
      .option('--keys <file>', `API keys, a JSON list [{name, hash, scope}] (nextbest keys create makes one; also ${ENV_KEYS}); without keys only 127.0.0.1 is served`)
      .option('--rate-limit <rate>', 'requests per API key (per address without keys), e.g. 100/s or 6000/min (default: unlimited)')
      .option('--body-limit <bytes>', 'the largest request body accepted', positiveInt('--body-limit'), 1024 * 1024)
      .option('--explore <weight>', 'default share of each list for products younger than --explore-age-days at the end of training, 0 to 1 (a request\'s explore= overrides it)', unitInterval('--explore'))
      .option('--explore-age-days <days>', 'the cold-product age cut-off for exploration', positiveInt('--explore-age-days'), DEFAULT_EXPLORE_AGE_DAYS)
      .option('--log', 'log every request (JSON lines on stdout)'),
  ).action(async (opts: ServeOptions) => {
    const keys = loadKeys(opts.keys);
    const rateLimit = opts.rateLimit === undefined ? undefined : parseRate(opts.rateLimit, '--rate-limit');
    const { app, url } = await serve({
      store: opts.store,
      model: opts.model,
      pipeline: opts.pipeline,
      segmentAttribute: opts.segmentAttribute,
      logger: opts.log,
      acceptModel: opts.acceptModel,
      evWeight: opts.evWeight,
      rules: opts.rules,
      keys,
      rateLimit,
      bodyLimit: opts.bodyLimit,
      explore: { weight: opts.explore ?? 0, ageDays: opts.exploreAgeDays },
      host: opts.host,
      port: opts.port,
    });
    const served = app.nextbest.models.require();
    if (opts.json) process.stdout.write(`${JSON.stringify({ url, model: served.name, pipeline: opts.pipeline ?? null, docs: `${url}/docs`, rules: opts.rules ?? null, keys: keys.length })}\n`);
    else {
      const from = opts.pipeline ? ` from the pipeline ${opts.pipeline}` : '';
      const rules = opts.rules ? ` with the business rules of ${opts.rules}` : '';
      process.stdout.write(`nextbest: serving ${served.name}${from}${rules} on ${url} (API page ${url}/docs, OpenAPI ${url}/openapi.json); Ctrl-C stops\n`);
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
