// Which text layout a report gets, from the command's flags (--brief, staged's --checklist). Pure.
import type { ScanResult, TextLayout } from '../types.js';

/** The layout asked for: --brief wins; staged is short unless --checklist; everything else is full. */
export function chooseLayout(mode: ScanResult['mode'], flags: { brief?: boolean; checklist?: boolean }): TextLayout {
  if (flags.brief) return 'brief';
  return mode === 'staged' && !flags.checklist ? 'short' : 'full';
}

/** The result with the layout its command's flags ask for (the text reporter reads it; other formats ignore it). */
export function withLayout(result: ScanResult, flags: { brief?: boolean; checklist?: boolean }): ScanResult {
  return { ...result, layout: chooseLayout(result.mode, flags) };
}
