import type { Format, Reporter } from '../types.js';
import { renderText } from './text.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderGithub } from './github.js';
import { renderJunit } from './junit.js';

export { renderSummary } from './summary.js';

/** One reporter per --format value. */
export const reporters = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
  junit: renderJunit,
} satisfies Record<Format, Reporter>;

export type ReportFormat = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as ReportFormat[];
