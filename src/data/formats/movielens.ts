// MovieLens rating data sets, recognised by the files in the folder:
//  - ml-100k: u.data (TAB: user item rating unix-seconds, no header), u.user (id|age|gender|occupation|zip),
//    u.item (latin-1: id|title|release date|video release date|IMDb URL|19 genre flags), u.genre (name|index).
//  - ml-latest, ml-20m, ml-25m, ml-32m: ratings.csv (userId,movieId,rating,timestamp with a header) and
//    movies.csv (movieId,title,genres; quoted titles may hold commas, genres are '|'-separated).
//  - ml-1m, ml-10m: ratings.dat, users.dat (ml-1m only), movies.dat, all '::'-separated without a header.
// Each rating row becomes a 'rating' event (value = the rating); users become customers and movies
// products of type 'movie' whose genres are attributes `genre:<Name>` = 1, plus `year` when known.
// Ids are MovieLens's numeric ids as strings ("196"). Rows of every file count: accepted + rejected is
// every data row read. Every reject reason starts with its file's name. A user or movie file that is
// not there is a warning (opts.onWarning) naming what the store will lack; a rating dated after the
// load time, a field over its size limit and a user or movie id given twice are rejected rows.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename, dirname, join } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import { readDelimited, readFirstLine } from '../delimited.js';
import { badField, longId } from '../limits.js';
import { afterLoadTime, latestEventTime } from '../load-time.js';
import type { Attributes } from '../model.js';
import { isMissing, isNonFinite, parseNumber } from '../parse.js';
import type { IngestSink, LoadCounts, Loader, LoadOptions } from '../sink.js';
import { UniqueIds } from '../unique-ids.js';
import { readHeader, requireColumns } from './header.js';

type Layout = '100k' | 'csv' | 'dat';

/** ml-100k's u.genre, used when the folder has no u.genre. */
export const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama',
  'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** ml-1m users.dat occupation codes (from its README). */
const ML1M_OCCUPATIONS = [
  'other', 'academic/educator', 'artist', 'clerical/admin', 'college/grad student', 'customer service',
  'doctor/health care', 'executive/managerial', 'farmer', 'homemaker', 'K-12 student', 'lawyer', 'programmer',
  'retired', 'sales/marketing', 'scientist', 'self-employed', 'technician/engineer', 'tradesman/craftsman',
  'unemployed', 'writer',
];

const FILES: Record<Layout, { ratings: string; users: string; items: string }> = {
  '100k': { ratings: 'u.data', users: 'u.user', items: 'u.item' },
  csv: { ratings: 'ratings.csv', users: '', items: 'movies.csv' },
  dat: { ratings: 'ratings.dat', users: 'users.dat', items: 'movies.dat' },
};
const DELIMITER: Record<Layout, { ratings: string; entities: string }> = {
  '100k': { ratings: '\t', entities: '|' },
  csv: { ratings: ',', entities: ',' },
  dat: { ratings: '::', entities: '::' },
};

interface Plan {
  layout: Layout;
  /** The folder the user and movie files are looked for in. */
  dir: string;
  ratings: string;
  users: string | null;
  items: string | null;
  genres: string[];
}

const INTEGER = /^\d+$/;
const SECONDS = /^\d{1,12}$/;
const YEAR_AT_END = /(\d{4})\s*$/;
// "Toy Story (1995)", "Babylon 5 (1994–1998)" (ml-latest series), trailing blanks tolerated.
const TITLE_YEAR = /\((\d{4})(?:\s*[-–]\s*\d{4})?\)\s*$/;

/** UTF-8 when the bytes are valid UTF-8, else latin-1 (ml-100k u.item and ml-1m movies.dat are latin-1). */
function encodingOf(path: string): 'utf8' | 'latin1' {
  return isUtf8(readFileSync(path)) ? 'utf8' : 'latin1';
}

const quoteShort = (s: string): string => JSON.stringify(s.length > 80 ? s.slice(0, 80) + '...' : s);

function planFor(input: string): Plan {
  if (!existsSync(input)) throw new NextbestError('FILE_NOT_FOUND', `${input} does not exist; check the path`);
  let dir = input;
  let layout: Layout;
  let ratings: string;
  if (statSync(input).isDirectory()) {
    const has = (f: string): boolean => existsSync(join(input, f));
    const found = (['100k', 'csv', 'dat'] as const).find((l) => has(FILES[l].ratings));
    if (!found) {
      throw new NextbestError(
        'WRONG_FORMAT',
        `${input} is not a MovieLens folder: it has no u.data, ratings.csv or ratings.dat; pass the folder holding the MovieLens files (e.g. ml-100k/) or choose another --format`,
      );
    }
    layout = found;
    ratings = join(input, FILES[layout].ratings);
  } else {
    // A single ratings file (u.data, u1.base, a split's train.tsv, ratings.csv, ratings.dat): the user and
    // movie files are taken from the same folder when present.
    dir = dirname(input);
    ratings = input;
    layout = input.endsWith('.csv') ? 'csv' : input.endsWith('.dat') ? 'dat' : '100k';
  }
  const entity = (name: string): string | null => (name && existsSync(join(dir, name)) ? join(dir, name) : null);
  const genreFile = layout === '100k' ? entity('u.genre') : null;
  return {
    layout,
    dir,
    ratings,
    users: entity(FILES[layout].users),
    items: entity(FILES[layout].items),
    genres: genreFile ? readGenres(genreFile) : ML100K_GENRES,
  };
}

/** u.genre: `name|index` lines (and a trailing blank line). */
function readGenres(path: string): string[] {
  const genres: string[] = [];
  const lines = readFileSync(path, 'latin1').split(/\r?\n/);
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const [name, index, extra] = text.split('|');
    if (extra !== undefined || !name?.trim() || index === undefined || !INTEGER.test(index.trim())) {
      throw new NextbestError(
        'WRONG_FORMAT',
        `${path} line ${i + 1} is not "name|index" (found ${quoteShort(text)}); fix u.genre or remove it to use the standard 19 genres`,
      );
    }
    genres[+index] = name.trim();
  });
  if (genres.length === 0 || Object.keys(genres).length !== genres.length) {
    throw new NextbestError('WRONG_FORMAT', `${path} does not number its genres 0, 1, 2, ...; fix u.genre or remove it`);
  }
  return genres;
}

/** What the store will lack because a user or movie file is not there, as one line; null when nothing is missing. */
function missingFiles(plan: Plan): string | null {
  const { users, items } = FILES[plan.layout];
  const absent: [string, string][] = [];
  if (users && !plan.users) absent.push([users, 'customers have no attributes (age, gender, occupation, zip)']);
  if (!plan.items) absent.push([items, 'movies have no titles, genres or year']);
  if (!absent.length) return null;
  return `${absent.map(([f]) => f).join(' and ')} not found in ${plan.dir}: ${absent.map(([, lost]) => lost).join(' and ')}`;
}

/** Checks the first line of each file before anything is written. */
async function checkFiles(plan: Plan): Promise<void> {
  const { layout } = plan;
  const wrong = (path: string, expected: string, line: string): NextbestError =>
    new NextbestError(
      'WRONG_FORMAT',
      `${path} is not a MovieLens ${basename(path)}: line 1 should be ${expected} (found ${quoteShort(line)}); check the folder or choose another --format`,
    );
  if (layout === 'csv') {
    const header = await readHeader(plan.ratings, 'a MovieLens ratings.csv');
    requireColumns(plan.ratings, header, ['userId', 'movieId', 'rating', 'timestamp'], 'a MovieLens ratings.csv', 'it needs the header userId,movieId,rating,timestamp');
    if (plan.items) {
      const items = await readHeader(plan.items, 'a MovieLens movies.csv');
      requireColumns(plan.items, items, ['movieId', 'title', 'genres'], 'a MovieLens movies.csv', 'it needs the header movieId,title,genres (or remove the file)');
    }
    return;
  }
  const d = DELIMITER[layout];
  const sep = layout === '100k' ? 'TAB' : '"::"';
  const first = await readFirstLine(plan.ratings);
  const f = first.split(d.ratings);
  if (f.length !== 4 || !f.every((x) => parseNumber(x) !== null)) {
    throw wrong(plan.ratings, `${sep}-separated user, item, rating, timestamp`, first);
  }
  if (plan.users) {
    const line = await readFirstLine(plan.users, 'latin1');
    if (line.split(d.entities).length !== 5 || !INTEGER.test(line.split(d.entities)[0].trim())) {
      throw wrong(plan.users, layout === '100k' ? 'id|age|gender|occupation|zip' : 'id::gender::age::occupation::zip', line);
    }
  }
  if (plan.items) {
    const line = await readFirstLine(plan.items, 'latin1');
    const n = line.split(d.entities).length;
    if ((layout === '100k' ? n < 6 : n !== 3) || !INTEGER.test(line.split(d.entities)[0].trim())) {
      throw wrong(plan.items, layout === '100k' ? 'id|title|release date|video release date|IMDb URL|genre flags' : 'id::title::genres', line);
    }
  }
}

export const movielens: Loader = {
  format: 'movielens',
  description: 'MovieLens folder: ml-100k (u.data, u.user, u.item), ml-latest/ml-25m (ratings.csv, movies.csv) or ml-1m (*.dat)',

  async load(input: string, sink: IngestSink, opts: LoadOptions): Promise<LoadCounts> {
    const plan = planFor(input);
    await checkFiles(plan);
    const missing = missingFiles(plan);
    if (missing) opts.onWarning?.(missing);
    const { layout } = plan;
    const latest = latestEventTime();
    const files = [plan.users, plan.items, plan.ratings].filter((p): p is string => p !== null);
    const total = Math.max(1, files.reduce((n, p) => n + statSync(p).size, 0));
    let done = 0;
    let accepted = 0;
    let rejected = 0;

    /** Streams one file's records (skipping a CSV header) to `row`, which returns a reject reason or null. */
    const each = async (path: string, delimiter: string, row: (f: string[], line: number) => string | null): Promise<void> => {
      const name = basename(path);
      const csv = layout === 'csv';
      let first = csv;
      for await (const batch of readDelimited(path, {
        delimiter,
        quote: csv ? '"' : '',
        encoding: path === plan.ratings ? 'utf8' : encodingOf(path),
        onBytes: (b) => opts.onProgress?.(Math.min(1, (done + b) / total)),
      })) {
        for (const rec of batch) {
          if (first) {
            first = false;
            continue;
          }
          const reason = badField(rec.fields, (i) => `field ${i + 1}`) ?? row(rec.fields, rec.line);
          if (reason === null) accepted++;
          else {
            rejected++;
            sink.reject(rec.line, `${name}: ${reason}`, rec.raw);
          }
        }
      }
      done += statSync(path).size;
    };

    const d = DELIMITER[layout];
    if (plan.users) {
      const [ageAt, genderAt] = layout === '100k' ? [1, 2] : [2, 1];
      const ids = new UniqueIds('user id');
      await each(plan.users, d.entities, (f, line) => {
        if (f.length !== 5) return `expected 5 fields (${layout === '100k' ? 'id, age, gender' : 'id, gender, age'}, occupation, zip), found ${f.length}`;
        const id = f[0].trim();
        if (!INTEGER.test(id)) return `user id ${quoteShort(f[0])} is not a number`;
        if (isNonFinite(f[ageAt])) return `age ${quoteShort(f[ageAt])} is not a finite number`;
        const age = isMissing(f[ageAt]) ? null : parseNumber(f[ageAt]);
        if (age === null && !isMissing(f[ageAt])) return `age ${quoteShort(f[ageAt])} is not a number`;
        let occupation: string | null = isMissing(f[3]) ? null : f[3].trim();
        if (layout === 'dat' && occupation !== null) occupation = ML1M_OCCUPATIONS[+occupation] ?? occupation;
        const text = (s: string): string | null => (isMissing(s) ? null : s.trim());
        const repeat = longId('user id', id) ?? ids.claim(id, line);
        if (repeat) return repeat;
        sink.customer({ id, attributes: { age, gender: text(f[genderAt]), occupation, zip: text(f[4]) } });
        return null;
      });
    }

    if (plan.items) {
      const header = layout === 'csv' ? await readHeader(plan.items, 'a MovieLens movies.csv') : null;
      const [idAt, titleAt, genresAt] = header
        ? (['movieId', 'title', 'genres'].map((c) => header.at.get(c) as number) as [number, number, number])
        : [0, 1, 2];
      const width = layout === '100k' ? 5 + plan.genres.length : header ? header.columns.length : 3;
      const ids = new UniqueIds('movie id');
      await each(plan.items, d.entities, (f, line) => {
        if (f.length !== width) {
          const what = layout === '100k' ? `id, title, dates, URL and ${plan.genres.length} genre flags` : 'id, title, genres';
          return `expected ${width} fields (${what}), found ${f.length}`;
        }
        const id = f[idAt].trim();
        if (!INTEGER.test(id)) return `movie id ${quoteShort(f[idAt])} is not a number`;
        const title = f[titleAt].trim();
        const attributes: Attributes = {};
        let year: string | undefined;
        if (layout === '100k') {
          for (let g = 0; g < plan.genres.length; g++) {
            const flag = f[5 + g].trim();
            if (flag !== '0' && flag !== '1') return `genre flag ${quoteShort(f[5 + g])} (${plan.genres[g]}) is not 0 or 1`;
            if (flag === '1') attributes[`genre:${plan.genres[g]}`] = 1;
          }
          year = YEAR_AT_END.exec(f[2])?.[1]; // release date "01-Jan-1995"; item 267 has none
        } else {
          for (const g of f[genresAt].split('|')) {
            const name = g.trim();
            if (name && name !== '(no genres listed)') attributes[`genre:${name}`] = 1;
          }
          year = TITLE_YEAR.exec(title)?.[1];
        }
        if (year !== undefined) attributes.year = +year;
        const repeat = longId('movie id', id) ?? ids.claim(id, line);
        if (repeat) return repeat;
        sink.product({ id, type: 'movie', description: title, attributes });
        return null;
      });
    }

    let at: [number, number, number, number] = [0, 1, 2, 3];
    let width = 4;
    if (layout === 'csv') {
      const header = await readHeader(plan.ratings, 'a MovieLens ratings.csv');
      at = ['userId', 'movieId', 'rating', 'timestamp'].map((c) => header.at.get(c) as number) as typeof at;
      width = header.columns.length;
    }
    const [userAt, itemAt, ratingAt, timeAt] = at;
    await each(plan.ratings, d.ratings, (f) => {
      if (f.length !== width) return `expected ${width} fields (user, item, rating, timestamp), found ${f.length}`;
      const customerId = f[userAt].trim();
      const productId = f[itemAt].trim();
      if (!INTEGER.test(customerId)) return `user id ${quoteShort(f[userAt])} is not a number`;
      if (!INTEGER.test(productId)) return `movie id ${quoteShort(f[itemAt])} is not a number`;
      const long = longId('user id', customerId) ?? longId('movie id', productId);
      if (long) return long;
      if (isNonFinite(f[ratingAt])) return `rating ${quoteShort(f[ratingAt])} is not a finite number`;
      const value = parseNumber(f[ratingAt]);
      if (value === null) return `rating ${quoteShort(f[ratingAt])} is not a number`;
      const t = f[timeAt].trim();
      if (!SECONDS.test(t)) return `timestamp ${quoteShort(f[timeAt])} is not unix seconds`;
      const timestamp = new Date(+t * 1000);
      const label = `timestamp ${quoteShort(t)} (${timestamp.toISOString().slice(0, 10)})`;
      const late = afterLoadTime(label, timestamp.getTime(), latest);
      if (late) return late;
      sink.event({ customerId, productId, timestamp, type: 'rating', value, context: {} });
      return null;
    });
    opts.onProgress?.(1);
    return { accepted, rejected };
  },
};
