import { it } from 'vitest';
import { createModel } from '../../src/models/registry.js';
import { evaluateTopN, loadMlTopn } from './ml-topn.js';
it('scratch', async () => {
  const data = loadMlTopn('../shared/data/ml-100k/splits/random-75-25');
  const params = JSON.parse(process.env.TT ?? '{}');
  const m = createModel('two-tower', params);
  const t0 = performance.now();
  await m.fit(data.train, { onProgress: (p) => console.log(p.iteration, p.loss?.toFixed(4), p.elapsedSeconds.toFixed(1)) });
  console.log('fit s', ((performance.now() - t0) / 1000).toFixed(1), JSON.stringify(params));
  console.log(evaluateTopN(m, data));
}, 600_000);
