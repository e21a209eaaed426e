import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createColors } from 'picocolors';
import { UsageError } from '../errors.js';
import { VERSION, type CommonArgs } from '../run-io.js';
import { requireWorkTree, type Run } from '../run-state.js';
import { readRules } from '../setup.js';
import { useColor } from '../output.js';
import { findRepository } from '../../sources/git.js';
import type { Command } from './command.js';
import { evaluateDoctor, renderDoctorJson, renderDoctorText } from '../../doctor/checks.js';
import { readDoctorFacts } from '../../doctor/read-setup.js';

export const doctorCommand: Command<CommonArgs> = {
  name: 'doctor',
  usage: 'doctor',
  describe: 'Check the repository is set up against the next leak: hook, .gitignore, tracked credential files, CI (exit 1 with the fix for each)',
  async handler(args, run: Run) {
    if (args.format !== 'text' && args.format !== 'json') throw new UsageError(`--format ${args.format}: keyguard doctor writes text or json`);
    // A bare repository or a mirror has no hook to run, no .gitignore at work and no CI of its own: doctor checks a
    // clone's set-up, and what the repository holds is scanned by history.
    const repo = await findRepository(run.io.cwd, run.io.env, run.scope);
    if (repo && !repo.workTree) throw new UsageError(`${run.io.cwd}: ${repo.bare ? 'a bare repository (or mirror)' : 'inside a git directory'} has no work tree to check; run keyguard doctor in a clone's work tree, and keyguard history here to scan what it holds`);
    const root = await requireWorkTree(run, 'keyguard doctor');
    // .keyguard.yaml decides which rules apply: a disabled credential-file rule is neither probed nor matched.
    const { rules } = await readRules(run, args, { root });
    const report = evaluateDoctor(await readDoctorFacts(root, run.io.env, rules), rules);
    const rendered = args.format === 'json' ? renderDoctorJson(report, VERSION) : renderDoctorText(report, createColors(useColor(run, args)));
    if (args.output) {
      try {
        writeFileSync(resolve(run.io.cwd, args.output), rendered);
      } catch (err) {
        throw new UsageError(`--output ${args.output}: cannot write the report (${(err as Error).message}); choose a writable path`);
      }
    } else if (!(args.quiet && report.ok)) {
      run.out.stdout += rendered;
    }
    return report.ok ? 0 : 1;
  },
};
