// GitHub Action entry (bundled to dist/action.js, run by the runner with node24). All the work is in run-action.ts.
// A cancelled job sends SIGINT, then SIGTERM: either ends every git process the scan started, with one line and exit
// code 130 or 143 (src/cli/ending.ts); a step that failed ends as soon as it has said why.
import { runAction } from './run-action.js';
import { createScope } from '../scope.js';
import { endOnSignals, exitWhenDone } from '../cli/ending.js';

const scope = createScope();
const signals = endOnSignals(scope);
await runAction(process.env, scope);
if (signals.received()) await signals.exited;
await scope.close();
exitWhenDone();
