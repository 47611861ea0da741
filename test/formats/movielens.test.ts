import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { detectFormat, getLoader } from '../../src/data/formats/index.js';
import { movielens } from '../../src/data/formats/movielens.js';
import { MemorySink } from './memory-sink.js';

const root = mkdtempSync(join(tmpdir(), 'nextbest-movielens-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function folder(files: Record<string, string | Buffer>): string {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const GENRES = ['unknown|0', 'Action|1', 'Adventure|2', 'Animation|3', "Children's|4", 'Comedy|5', 'Crime|6',
  'Documentary|7', 'Drama|8', 'Fantasy|9', 'Film-Noir|10', 'Horror|11', 'Musical|12', 'Mystery|13', 'Romance|14',
  'Sci-Fi|15', 'Thriller|16', 'War|17', 'Western|18'].join('\n') + '\n\n';
const flags = (...on: number[]): string => Array.from({ length: 19 }, (_, i) => (on.includes(i) ? '1' : '0')).join('|');

describe('movielens loader, ml-100k layout', () => {
  const item = (line: string): Buffer => Buffer.from(line, 'latin1');
  const dir = folder({
    'u.data': '196\t242\t3\t881250949\n186\t302\t3.5\t891717742\n22\t377\t1\n244\t51\tx\t880606923\n166\t346\t1\tyesterday\nabc\t1\t2\t880606923\n',
    'u.user': '196|49|M|writer|55105\n186|39|F|executive|00000\n22|25|M|writer|40206\nbad|x|M|writer|1\n',
    'u.genre': GENRES,
    'u.item': Buffer.concat([
      item(`242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|${flags(5)}\n`),
      item(`267|unknown||||${flags(0)}\n`),
      // "Misérables" with é as the single latin-1 byte 0xE9
      Buffer.from([...item('543|Mis'), 0xe9, ...item(`rables, Les (1995)|01-Jan-1995||http://x|${flags(8, 12)}\n`)]),
      item(`302|L.A. Confidential (1997)|01-Jan-1997||http://x|0|1\n`),
      item(`377|Heavyweights (1994)|01-Jan-1994||http://x|${flags(5).replace(/^0/, '2')}\n`),
    ]),
  });

  it('loads ratings, users and movies and rejects bad rows with their line and file', async () => {
    expect(await detectFormat(dir)).toBe('movielens');
    expect(getLoader('movielens')).toBe(movielens);
    const sink = new MemorySink();
    const fractions: number[] = [];
    const counts = await movielens.load(dir, sink, { onProgress: (f) => fractions.push(f) });
    expect(counts).toEqual({ accepted: 8, rejected: 7 }); // 3 users, 3 movies, 2 ratings
    expect(fractions.at(-1)).toBe(1);

    expect(sink.events).toEqual([
      { customerId: '196', productId: '242', timestamp: new Date(881250949 * 1000), type: 'rating', value: 3, context: {} },
      { customerId: '186', productId: '302', timestamp: new Date(891717742 * 1000), type: 'rating', value: 3.5, context: {} },
    ]);
    expect(sink.customers).toEqual([
      { id: '196', attributes: { age: 49, gender: 'M', occupation: 'writer', zip: '55105' } },
      { id: '186', attributes: { age: 39, gender: 'F', occupation: 'executive', zip: '00000' } },
      { id: '22', attributes: { age: 25, gender: 'M', occupation: 'writer', zip: '40206' } },
    ]);
    expect(sink.products).toEqual([
      { id: '242', type: 'movie', description: 'Kolya (1996)', attributes: { 'genre:Comedy': 1, year: 1997 } },
      { id: '267', type: 'movie', description: 'unknown', attributes: { 'genre:unknown': 1 } },
      {
        id: '543',
        type: 'movie',
        description: 'Misérables, Les (1995)',
        attributes: { 'genre:Drama': 1, 'genre:Musical': 1, year: 1995 },
      },
    ]);
    expect(sink.rejects.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 4, reason: 'u.user: user id "bad" is not a number' },
      { line: 4, reason: 'u.item: expected 24 fields (id, title, dates, URL and 19 genre flags), found 7' },
      { line: 5, reason: 'u.item: genre flag "2" (unknown) is not 0 or 1' },
      { line: 3, reason: 'u.data: expected 4 fields (user, item, rating, timestamp), found 3' },
      { line: 4, reason: 'u.data: rating "x" is not a number' },
      { line: 5, reason: 'u.data: timestamp "yesterday" is not unix seconds' },
      { line: 6, reason: 'u.data: user id "abc" is not a number' },
    ]);
    expect(sink.rejects[4].raw).toBe('244\t51\tx\t880606923');
  });

  it('uses the standard genres when u.genre is absent and loads a single ratings file', async () => {
    const d = folder({
      'u1.base': '1\t1\t5\t874965758\n',
      'u.item': `1|Toy Story (1995)|01-Jan-1995||http://x|${flags(3, 4, 5)}\n`,
    });
    const sink = new MemorySink();
    expect(await movielens.load(join(d, 'u1.base'), sink, {})).toEqual({ accepted: 2, rejected: 0 });
    expect(sink.products[0].attributes).toEqual({ 'genre:Animation': 1, "genre:Children's": 1, 'genre:Comedy': 1, year: 1995 });
    expect(sink.customers).toEqual([]);
  });
});

describe('movielens loader, ml-latest CSV layout', () => {
  it('reads quoted titles with commas, |-separated genres and the year in the title', async () => {
    const dir = folder({
      'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,x,964981247\n2,11,2.5,1445714835\n1,6\n',
      'movies.csv': [
        'movieId,title,genres',
        '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
        '11,"American President, The (1995)",Comedy|Drama|Romance',
        '12,"Dracula: Dead and Loving It ""Spoof"" (1995)",Comedy|Horror',
        '176601,Black Mirror,(no genres listed)',
        'x,Broken (2000),Drama',
      ].join('\n') + '\n',
      'tags.csv': 'userId,movieId,tag,timestamp\n',
    });
    expect(await detectFormat(dir)).toBe('movielens');
    const sink = new MemorySink();
    expect(await movielens.load(dir, sink, {})).toEqual({ accepted: 6, rejected: 3 }); // 4 movies, 2 ratings
    expect(sink.products).toEqual([
      {
        id: '1',
        type: 'movie',
        description: 'Toy Story (1995)',
        attributes: { 'genre:Adventure': 1, 'genre:Animation': 1, 'genre:Children': 1, 'genre:Comedy': 1, 'genre:Fantasy': 1, year: 1995 },
      },
      {
        id: '11',
        type: 'movie',
        description: 'American President, The (1995)',
        attributes: { 'genre:Comedy': 1, 'genre:Drama': 1, 'genre:Romance': 1, year: 1995 },
      },
      {
        id: '12',
        type: 'movie',
        description: 'Dracula: Dead and Loving It "Spoof" (1995)',
        attributes: { 'genre:Comedy': 1, 'genre:Horror': 1, year: 1995 },
      },
      { id: '176601', type: 'movie', description: 'Black Mirror', attributes: {} },
    ]);
    expect(sink.events.map((e) => [e.customerId, e.productId, e.value, e.timestamp.getTime() / 1000])).toEqual([
      ['1', '1', 4, 964982703],
      ['2', '11', 2.5, 1445714835],
    ]);
    expect(sink.rejects.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 6, reason: 'movies.csv: movie id "x" is not a number' },
      { line: 3, reason: 'ratings.csv: rating "x" is not a number' },
      { line: 5, reason: 'ratings.csv: expected 4 fields (user, item, rating, timestamp), found 2' },
    ]);
  });
});

describe('movielens loader, ml-1m .dat layout', () => {
  it('reads ::-separated files with latin-1 titles and coded occupations', async () => {
    const dir = folder({
      'ratings.dat': '1::1193::5::978300760\n',
      'users.dat': '1::F::1::10::48067\n',
      'movies.dat': Buffer.concat([Buffer.from('1193::Caf'), Buffer.from([0xe9]), Buffer.from(' (1975)::Drama\n')]),
    });
    const sink = new MemorySink();
    expect(await movielens.load(dir, sink, {})).toEqual({ accepted: 3, rejected: 0 });
    expect(sink.customers).toEqual([{ id: '1', attributes: { age: 1, gender: 'F', occupation: 'K-12 student', zip: '48067' } }]);
    expect(sink.products).toEqual([{ id: '1193', type: 'movie', description: 'Café (1975)', attributes: { 'genre:Drama': 1, year: 1975 } }]);
  });
});

describe('movielens loader, wrong inputs', () => {
  const fails = async (input: string, code: string, message: RegExp): Promise<void> => {
    const sink = new MemorySink();
    const error = await movielens.load(input, sink, {}).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(NextbestError);
    expect((error as NextbestError).code).toBe(code);
    expect((error as NextbestError).message).toMatch(message);
    expect((error as NextbestError).message).not.toContain('\n');
    expect(sink.written).toBe(0);
  };

  it('rejects a folder without u.data or ratings.csv', async () => {
    await fails(folder({ 'notes.txt': 'hello\n' }), 'WRONG_FORMAT', /has no u\.data, ratings\.csv or ratings\.dat/);
  });
  it('rejects a missing path', async () => {
    await fails(join(root, 'nope'), 'FILE_NOT_FOUND', /does not exist/);
  });
  it('rejects a u.data that is not TAB-separated ratings, before writing anything', async () => {
    await fails(folder({ 'u.data': 'user,item,rating,time\n1,2,3,4\n', 'u.user': '1|24|M|technician|85711\n' }), 'WRONG_FORMAT', /u\.data.*TAB-separated/);
  });
  it('rejects a ratings.csv without the MovieLens columns', async () => {
    await fails(folder({ 'ratings.csv': 'user,item,score\n1,2,3\n' }), 'WRONG_COLUMNS', /missing columns userId, movieId, rating, timestamp/);
  });
  it('rejects a u.item that is not |-separated', async () => {
    await fails(folder({ 'u.data': '1\t2\t3\t881250949\n', 'u.item': '1,Toy Story,1995\n' }), 'WRONG_FORMAT', /u\.item/);
  });
});

describe('movielens loader, files that are not there', () => {
  it('warns once, naming the missing user and movie files and what the store lacks', async () => {
    const dir = folder({ 'u.data': '196\t242\t3\t881250949\n' });
    const warnings: string[] = [];
    const sink = new MemorySink();
    expect(await movielens.load(dir, sink, { onWarning: (w) => warnings.push(w) })).toEqual({ accepted: 1, rejected: 0 });
    expect(warnings).toEqual([
      `u.user and u.item not found in ${dir}: customers have no attributes (age, gender, occupation, zip) and movies have no titles, genres or year`,
    ]);
  });

  it('ml-latest has no users file: only a missing movies.csv is worth a warning', async () => {
    const warnings: string[] = [];
    const withMovies = folder({ 'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n', 'movies.csv': 'movieId,title,genres\n1,Toy Story (1995),Comedy\n' });
    await movielens.load(withMovies, new MemorySink(), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    const without = folder({ 'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n' });
    await movielens.load(without, new MemorySink(), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([`movies.csv not found in ${without}: movies have no titles, genres or year`]);
  });

  it('rejects a repeated user or movie id and a rating after the load time', async () => {
    const dir = folder({
      'u.data': '196\t242\t3\t881250949\n196\t242\t3\t99999999999\n',
      'u.user': '196|49|M|writer|55105\n196|50|M|writer|55105\n',
      'u.item': `242|Kolya (1996)|24-Jan-1997||http://x|${flags(5)}\n242|Kolya|24-Jan-1997||http://x|${flags(5)}\n`,
    });
    const sink = new MemorySink();
    expect(await movielens.load(dir, sink, {})).toEqual({ accepted: 3, rejected: 3 });
    expect(sink.rejects.map((r) => [r.line, r.reason.replace(/\(\d{4}-[^)]*UTC\)/, '(...)')])).toEqual([
      [2, 'u.user: user id "196" repeats line 1 (an id is given once per file)'],
      [2, 'u.item: movie id "242" repeats line 1 (an id is given once per file)'],
      [2, 'u.data: timestamp "99999999999" (5138-11-16) is after the load time (...) by more than 1 day'],
    ]);
  });
});
