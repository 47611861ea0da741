// The look of the Kaggle Santander train_ver2.csv: its header, code lists and padded fields,
// with every repeated piece prebuilt as a string so a row is a few table look-ups and joins.
import { PLANTED } from './planted.js';
import { csvLine, Pieces } from './csv-writer.js';

export const SANTANDER_HEADER =
  [
    'fecha_dato', 'ncodpers', 'ind_empleado', 'pais_residencia', 'sexo', 'age', 'fecha_alta', 'ind_nuevo', 'antiguedad', 'indrel',
    'ult_fec_cli_1t', 'indrel_1mes', 'tiprel_1mes', 'indresi', 'indext', 'conyuemp', 'canal_entrada', 'indfall', 'tipodom', 'cod_prov',
    'nomprov', 'ind_actividad_cliente', 'renta', 'segmento',
    ...PLANTED.santander.products.map((p) => p.flag),
  ]
    .map((f) => `"${f}"`)
    .join(',') + '\n';

/** santander-columns.csv: which catalogue product each product column of santander.csv holds. */
export const santanderColumnsCsv = (): string =>
  'column,product_id\n' + PLANTED.santander.products.map((p) => csvLine([p.flag, p.product])).join('');

/** Province code, name (with the real file's comma-inverted names) and share of customers. */
export const PROVINCES: readonly (readonly [number, string, number])[] = [
  [28, 'MADRID', 0.32], [8, 'BARCELONA', 0.09], [46, 'VALENCIA', 0.05], [41, 'SEVILLA', 0.045], [15, 'CORUNA, A', 0.03],
  [29, 'MALAGA', 0.03], [30, 'MURCIA', 0.03], [3, 'ALICANTE', 0.03], [50, 'ZARAGOZA', 0.025], [11, 'CADIZ', 0.025],
  [36, 'PONTEVEDRA', 0.02], [33, 'ASTURIAS', 0.02], [47, 'VALLADOLID', 0.02], [35, 'PALMAS, LAS', 0.02], [6, 'BADAJOZ', 0.015],
  [7, 'BALEARS, ILLES', 0.015], [39, 'CANTABRIA', 0.015], [45, 'TOLEDO', 0.015], [18, 'GRANADA', 0.015], [37, 'SALAMANCA', 0.015],
  [48, 'BIZKAIA', 0.01], [10, 'CACERES', 0.012], [12, 'CASTELLON', 0.01], [14, 'CORDOBA', 0.012], [2, 'ALBACETE', 0.01],
  [9, 'BURGOS', 0.01], [24, 'LEON', 0.01], [31, 'NAVARRA', 0.01], [43, 'TARRAGONA', 0.01], [21, 'HUELVA', 0.01],
];

export const COUNTRIES = ['ES', 'FR', 'DE', 'GB', 'AR', 'MX', 'CH', 'IT', 'VE'] as const;
/** Country of residence; index 0 (Spain) is the bank's own, the rest are the foreign residents. */
/** ind_empleado: N for customers; the other codes for the few who are employees. */
export const EMPLOYEE_CODES = ['N', 'A', 'B', 'F', 'S'] as const;
export const EMPLOYEE_SHARE = 0.001;
export const SEXES = ['H', 'V'] as const;
/** Share written V, about the split of the real file. */
export const SEX_V_SHARE = 0.54;

/** canal_entrada codes and their weights for each segmento (TOP, PARTICULARES, UNIVERSITARIO). */
export const CHANNELS = ['KAT', 'KFC', 'KFA', 'KHE', 'KHQ', 'KHK', 'KHM', 'KHL', 'RED'] as const;
export const CHANNEL_WEIGHTS: Readonly<Record<string, readonly number[]>> = {
  '01 - TOP': [0.6, 0.2, 0.1, 0.05, 0, 0, 0, 0.05, 0],
  '02 - PARTICULARES': [0.3, 0.2, 0.05, 0.15, 0.1, 0.08, 0.05, 0.05, 0.02],
  '03 - UNIVERSITARIO': [0.1, 0.1, 0, 0.7, 0.1, 0, 0, 0, 0],
};

/** Right-aligned in `width` characters, as the real file writes age and antiguedad. */
const rightAligned = (n: number, width: number): string => String(n).padStart(width, ' ');
export const MAX_AGE = 139;
export const MAX_SENIORITY = 1199;

/**
 * The first 21 product flags, each followed by a comma, in two runs: by bits 0-10 and by bits 11-20
 * of the holdings mask (bit 0 first), so a row's flags are two copies.
 */
const flagRun = (bits: number): Pieces =>
  Pieces.of(
    Array.from({ length: 1 << bits }, (_, v) => {
      let s = '';
      for (let b = 0; b < bits; b++) s += (v >> b) & 1 ? '1,' : '0,';
      return s;
    }),
  );
export const FLAGS_LOW = flagRun(11);
export const FLAGS_HIGH = flagRun(10);

/**
 * The last three flags (nomina, nom_pens, recibo) plus the line end, by (spaced ? 8 : 0) + bits 21-23;
 * the real file writes them with a leading space in some months. Then, from index 16, the same with
 * nomina and nom_pens missing (NA), by 16 + (spaced ? 2 : 0) + recibo.
 */
export const LAST_FLAGS = Pieces.of([
  ...[false, true].flatMap((spaced) =>
    Array.from({ length: 8 }, (_, v) => {
      const f = (bit: number): string => (spaced ? ' ' : '') + ((v >> bit) & 1);
      return `${f(0)},${f(1)},${f(2)}\n`;
    }),
  ),
  ...[false, true].flatMap((spaced) => [0, 1].map((r) => `NA,NA,${spaced ? ' ' : ''}${r}\n`)),
]);
export const LAST_FLAGS_NA = 16;

/** Single pieces used as they are. */
export const FIXED = Pieces.of([
  // Everything between ncodpers and the first product flag when demographics are missing (22 empty fields).
  ','.repeat(23),
  'NA',
]);
export const BLANK_DEMOGRAPHICS = 0;
export const RENTA_NA = 1;

/** `,ind_empleado,pais_residencia,sexo,age,` by ((employee * countries + country) * 2 + sex) * (MAX_AGE + 1) + age. */
export const EMPLOYEE_COUNTRY_SEX_AGE = Pieces.of(
  EMPLOYEE_CODES.flatMap((e) =>
    COUNTRIES.flatMap((c) => SEXES.flatMap((s) => Array.from({ length: MAX_AGE + 1 }, (_, age) => `,${e},${c},${s},${rightAligned(age, 3)},`))),
  ),
);

/** `,ind_nuevo,antiguedad` by seniority in months: new customers are those under 6 months. */
export const NEW_SENIORITY = Pieces.of(Array.from({ length: MAX_SENIORITY + 1 }, (_, m) => `,${m < 6 ? ' 1' : ' 0'},${rightAligned(m, 7)}`));

/** `indresi,indext,conyuemp,canal_entrada,indfall,tipodom,` by (foreign ? channels : 0) + channel; residents of Spain are S,N. */
export const RESIDENCE_CHANNEL = Pieces.of(['S,N', 'N,S'].flatMap((res) => CHANNELS.map((ch) => `${res},,${ch},N, 1,`)));

/** `,indrel,ult_fec_cli_1t,indrel_1mes,tiprel_1mes,` by (format changed ? 2 : 0) + active; indrel_1mes is '1.0' before the change, '1' after. */
export const RELATION = Pieces.of(['1.0', '1'].flatMap((indrel1mes) => ['I', 'A'].map((tiprel) => `, 1,,${indrel1mes},${tiprel},`)));

/** `cod_prov,"nomprov",ind_actividad_cliente,` by province * 2 + active. */
export const PROVINCE_ACTIVITY = Pieces.of(
  [...PROVINCES.map(([code, name]) => `${code},"${name}"`), 'NA,'].flatMap((p) => [' 0', ' 1'].map((a) => `${p},${a},`)),
);
export const FOREIGN_PROVINCE = PROVINCES.length;

/** Decimals of renta by cents, with the fewest digits ('' for whole euros, '.1', '.25'). */
export const CENTS = Pieces.of(Array.from({ length: 100 }, (_, c) => (c === 0 ? '' : c % 10 === 0 ? `.${c / 10}` : `.${String(c).padStart(2, '0')}`)));

/** `,segmento,` by segment index. */
export const segmentoFields = (segmento: readonly string[]): Pieces => Pieces.of(segmento.map((s) => `,${s},`));
