import type { Command } from './command.js';
import { scanCommand } from './scan.js';
import { rulesCommand } from './rules.js';
import { stagedCommand } from './staged.js';
import { historyCommand } from './history.js';
import { installCommand } from './install.js';
import { uninstallCommand } from './uninstall.js';
import { doctorCommand } from './doctor.js';
import { baselineCommand } from './baseline.js';
import { importGitleaksIgnoreCommand } from './import-gitleaksignore.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: Command<any>[] = [scanCommand, stagedCommand, historyCommand, installCommand, uninstallCommand, doctorCommand, rulesCommand, baselineCommand, importGitleaksIgnoreCommand];
