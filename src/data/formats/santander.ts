// Santander Product Recommendation `train_ver2.csv`: 48 columns, one row per customer and month,
// 24 product flags. Parsing and the month-to-month diff run inside the store (sink.snapshots), which
// streams the 2.3 GB file natively; this module says what the columns mean (by default the Kaggle
// products; a bundle's santander-columns.csv can map them to the bank's catalogue instead).
import type { IngestSink, LoadCounts, Loader, LoadOptions, SnapshotSpec } from '../sink.js';
import { readHeader, requireColumns } from './header.js';

export const SANTANDER_PRODUCTS: SnapshotSpec['products'] = [
  ['ind_ahor_fin_ult1', 'savings', 'Saving account'],
  ['ind_aval_fin_ult1', 'guarantee', 'Guarantees'],
  ['ind_cco_fin_ult1', 'account', 'Current account'],
  ['ind_cder_fin_ult1', 'account', 'Derivative account'],
  ['ind_cno_fin_ult1', 'account', 'Payroll account'],
  ['ind_ctju_fin_ult1', 'account', 'Junior account'],
  ['ind_ctma_fin_ult1', 'account', 'Mas particular account'],
  ['ind_ctop_fin_ult1', 'account', 'Particular account'],
  ['ind_ctpp_fin_ult1', 'account', 'Particular plus account'],
  ['ind_deco_fin_ult1', 'deposit', 'Short-term deposit'],
  ['ind_deme_fin_ult1', 'deposit', 'Medium-term deposit'],
  ['ind_dela_fin_ult1', 'deposit', 'Long-term deposit'],
  ['ind_ecue_fin_ult1', 'account', 'e-account'],
  ['ind_fond_fin_ult1', 'investment', 'Funds'],
  ['ind_hip_fin_ult1', 'mortgage', 'Mortgage'],
  ['ind_plan_fin_ult1', 'pension', 'Pension plan'],
  ['ind_pres_fin_ult1', 'loan', 'Loan'],
  ['ind_reca_fin_ult1', 'tax', 'Taxes'],
  ['ind_tjcr_fin_ult1', 'card', 'Credit card'],
  ['ind_valo_fin_ult1', 'investment', 'Securities'],
  ['ind_viv_fin_ult1', 'account', 'Home account'],
  ['ind_nomina_ult1', 'payroll', 'Payroll'],
  ['ind_nom_pens_ult1', 'pension', 'Pensions (payroll)'],
  ['ind_recibo_ult1', 'direct_debit', 'Direct debit'],
].map(([column, type, description]) => ({
  column,
  productId: column.replace(/^ind_/, '').replace(/_ult1$/, ''),
  type,
  description,
}));

const NUMERIC = new Set(['age', 'antiguedad', 'renta', 'ind_nuevo', 'indrel', 'ind_actividad_cliente', 'tipodom']);

export const SANTANDER_ATTRIBUTES: SnapshotSpec['attributes'] = [
  'ind_empleado', 'pais_residencia', 'sexo', 'age', 'fecha_alta', 'ind_nuevo', 'antiguedad', 'indrel',
  'ult_fec_cli_1t', 'indrel_1mes', 'tiprel_1mes', 'indresi', 'indext', 'conyuemp', 'canal_entrada', 'indfall',
  'tipodom', 'cod_prov', 'nomprov', 'ind_actividad_cliente', 'renta', 'segmento',
].map((column) => ({ column, name: column, kind: NUMERIC.has(column) ? 'num' : 'cat' }));

/**
 * Loads a Santander-layout file; `products` says which product id each ind_*_ult1 column holds
 * (default: the Kaggle product codes, `ind_cco_fin_ult1` -> `cco_fin`).
 */
export async function loadSantander(
  input: string,
  sink: IngestSink,
  opts: LoadOptions,
  products: SnapshotSpec['products'] = SANTANDER_PRODUCTS,
): Promise<LoadCounts> {
  const header = await readHeader(input, 'a Santander train_ver2 file');
  requireColumns(
    input,
    header,
    ['fecha_dato', 'ncodpers', ...SANTANDER_PRODUCTS.map((p) => p.column)],
    'a Santander train_ver2 file',
    'it needs fecha_dato, ncodpers and the 24 ind_*_ult1 product columns',
  );
  const counts = await sink.snapshots(
    {
      path: input,
      delimiter: header.delimiter,
      monthColumn: 'fecha_dato',
      customerColumn: 'ncodpers',
      products,
      attributes: SANTANDER_ATTRIBUTES.filter((a) => header.at.has(a.column)),
      nullValues: ['NA'],
    },
    opts.onProgress,
  );
  return { accepted: counts.rows, rejected: counts.rejected };
}

export const santander: Loader = {
  format: 'santander',
  description: 'Santander Product Recommendation train_ver2.csv (monthly product holdings, 48 columns)',
  load: (input, sink, opts) => loadSantander(input, sink, opts),
};
