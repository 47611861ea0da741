// The folder that holds what nextbest writes beside a store (models/, reports/): the store file's
// folder for an embedded store; for a PostgreSQL store, NEXTBEST_HOME (default .nextbest in the
// working directory). Replicas of one PostgreSQL store serve the models of the folder they share.
import { dirname, resolve } from 'node:path';
import { isPostgresUrl } from '../store/open-store.js';

export const storeFolder = (store: string): string =>
  isPostgresUrl(store) ? resolve(process.env.NEXTBEST_HOME?.trim() || '.nextbest') : dirname(store);
