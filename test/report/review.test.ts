// Review items (what a range changes in what keyguard trusts, markers that hide findings) in every format, pure.
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { reporters } from '../../src/report/index.js';
import { renderSummary } from '../../src/report/summary.js';
import { describeReviewItem } from '../../src/report/review.js';
import type { ReviewItem, ScanResult } from '../../src/types.js';
import { cleanResult, options } from './fixture.js';
import { validateSarif } from './sarif-validate.js';

const change: ReviewItem = { type: 'config-change', file: 'ci/a,b:c.yaml', role: 'config', change: 'changed', details: ['widens allowlist.paths: "**"', 'disables rule google-api-key'] };
const marker: ReviewItem = { type: 'inline-marker', file: 'src/maps.js', line: 8, markerLine: 7, marker: 'keyguard:allow-next-line', commit: 'c0ffee0123456789c0ffee0123456789c0ffee01', ruleId: 'google-api-key', title: 'Google API key', credential: '3f9a1c0e5b7d2a4c' };
const result: ScanResult = { ...cleanResult, mode: 'history', review: [change, marker] };

describe('review items', () => {
  it('word a change with its file, what it does and when it applies', () => {
    expect(describeReviewItem(change)).toBe(
      'this range changes ci/a,b:c.yaml (the keyguard configuration): not used by this check, it takes effect once merged; widens allowlist.paths: "**"; disables rule google-api-key',
    );
    expect(describeReviewItem({ ...change, role: 'gitleaksignore', change: 'added', file: '.gitleaksignore', details: [] })).toBe("this range adds .gitleaksignore (gitleaks' ignore file)");
    expect(describeReviewItem(marker)).toMatch(/^suppressed by an inline marker added in this range: src\/maps.js:7 \(for line 8\) \(keyguard:allow-next-line\) hides a Google API key \(google-api-key, credential 3f9a1c0e5b7d2a4c, commit c0ffee012345\)/);
  });

  it('appear in every format', () => {
    const words = [describeReviewItem(change), describeReviewItem(marker)];
    const text = reporters.text(result, options());
    expect(text).toContain('For review:');
    for (const w of words) expect(text).toContain(w);

    const json = JSON.parse(reporters.json(result, options())) as { review: ReviewItem[]; notes: string[] };
    expect(json.review).toEqual([change, marker]);
    expect(json.notes).toEqual(words);

    const github = reporters.github(result, options()).split('\n');
    expect(github).toContain(`::warning file=ci/a%2Cb%3Ac.yaml,title=keyguard%3A ci/a%2Cb%3Ac.yaml changed in this range::${words[0]}`);
    expect(github.find((l) => l.startsWith('::warning file=src/maps.js,line=7,'))).toContain(words[1]);

    const sarifText = reporters.sarif(result, options());
    expect(validateSarif(sarifText)).toEqual([]);
    const run = (JSON.parse(sarifText) as Log).runs[0]!;
    const notes = run.invocations![0]!.toolExecutionNotifications!;
    expect(notes.map((n) => n.message.text)).toEqual(words);
    expect(notes[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('ci/a%2Cb%3Ac.yaml');
    expect(notes[1]!.locations![0]!.physicalLocation!.region!.startLine).toBe(7);
    expect(run.properties!['review']).toEqual([change, marker]);

    const junit = reporters.junit(result, options());
    expect(junit).toContain('review: this range changes ci/a,b:c.yaml');

    const summary = renderSummary(result, options());
    expect(summary).toContain('### For review');
    expect(summary).toContain('- this range changes ci/a,b:c.yaml');
    // Globs are shown as typed, not as Markdown emphasis.
    expect(summary).toContain('widens allowlist.paths: "\\*\\*"');
  });

  it('leave reports without them as they were', () => {
    for (const format of ['text', 'json', 'sarif', 'github', 'junit'] as const) {
      expect(reporters[format](cleanResult, options())).not.toMatch(/review/i);
    }
    expect(renderSummary(cleanResult, options())).not.toContain('For review');
  });
});
