import type { Reporter } from '../types.js';
import { renderText } from './text.js';
import { renderJson } from './json.js';

/** One reporter per --format value. */
export const reporters = {
  text: renderText,
  json: renderJson,
} satisfies Record<string, Reporter>;

export type ReportFormat = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as ReportFormat[];
