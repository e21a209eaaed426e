// GitHub Action entry (bundled to dist/action.js, run by the runner with node24). All the work is in run-action.ts.
import { runAction } from './run-action.js';

await runAction();
