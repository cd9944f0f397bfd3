// npm run recsys:evaluate [-- --seed N]
// Offline evaluation of the recommendation models on a generated market (fixed seed by default):
// precision@10, recall@10, NDCG@10 and catalogue coverage for the personalised model, the earlier
// product's baseline, popularity and random. Runs in memory; touches no database.
import { parseArgs } from 'node:util';
import {
  DEFAULT_EVALUATION,
  evaluate,
  formatEvaluation,
} from '../modules/recommendations/index.ts';
import { runCli, say, UsageError } from './cli.ts';

await runCli('usage: npm run recsys:evaluate [-- --seed N]', async () => {
  let seed = DEFAULT_EVALUATION.sim.seed;
  try {
    const { values } = parseArgs({
      options: { seed: { type: 'string' } },
      allowPositionals: false,
    });
    if (values.seed !== undefined) {
      if (!/^\d{1,9}$/.test(values.seed)) throw new Error('--seed must be a whole number');
      seed = Number(values.seed);
    }
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const started = performance.now();
  const result = evaluate({ ...DEFAULT_EVALUATION, sim: { ...DEFAULT_EVALUATION.sim, seed } });
  say(formatEvaluation(result));
  say('');
  say(`(${Math.round(performance.now() - started)} ms)`);
});
