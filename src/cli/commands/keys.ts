// `nextbest keys create --name app --scope read`: a new API key, printed once, and the entry to add to
// the server's key file (--keys FILE) or NEXTBEST_API_KEYS; the key itself is stored nowhere.
import type { Command } from 'commander';
import { createApiKey, ENV_KEYS, SCOPES, type Scope } from '../../app/api-keys.js';
import { printJson } from '../output.js';

interface KeysCreateOptions {
  name: string;
  scope: Scope;
  json?: boolean;
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys for nextbest serve');
  keys
    .command('create')
    .description('make an API key: prints the key once and the line for the key file')
    .requiredOption('--name <name>', 'who uses the key (shown in errors and rate limits), e.g. mobile-app')
    .option('--scope <scope>', `${SCOPES.join(' or ')} (admin may also send events, change offers and models)`, 'read')
    .option('--json', 'print machine-readable JSON on stdout')
    .action((opts: KeysCreateOptions) => {
      const { key, entry } = createApiKey(opts.name, opts.scope);
      if (opts.json) return printJson({ key, entry });
      process.stdout.write(
        `key (shown once, keep it secret): ${key}\n` +
          `add this entry to the list in the key file (nextbest serve --keys FILE) or in ${ENV_KEYS}:\n` +
          `${JSON.stringify(entry)}\n`,
      );
    });
}
