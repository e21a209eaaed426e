import { describe, expect, it } from 'vitest';
import { normaliseEntries, parseBaseline, renderBaseline, updateBaseline } from '../../src/config/baseline.js';

const e = (file: string, id = 'google-api-key', cred = '0123456789abcdef') => ({ fingerprint: `${cred}:${file}`, ruleId: id, file });

describe('baseline files', () => {
  it('render sorted and deduplicated, and parse back', () => {
    const text = renderBaseline([e('b.js'), e('a.js', 'x', 'fedcba9876543210'), e('b.js')]);
    const parsed = parseBaseline(text);
    expect(parsed.ok && parsed.value.entries.map((x) => x.file)).toEqual(['a.js', 'b.js']);
    expect(renderBaseline(parsed.ok ? parsed.value.entries : [])).toBe(text);
  });

  it('a full update replaces, a partial one only adds', () => {
    const old = [e('a.js'), e('b.js')];
    expect(updateBaseline(old, [e('b.js'), e('c.js')], false)).toMatchObject({ added: 1, removed: 1, entries: [e('b.js'), e('c.js')] });
    expect(updateBaseline(old, [e('c.js')], true)).toMatchObject({ added: 1, removed: 0, entries: normaliseEntries([...old, e('c.js')]) });
  });

  it('reports what is wrong in one line', () => {
    expect(parseBaseline('[]')).toEqual({ ok: false, errors: ['must be a JSON object with "version": 1 and "entries"'] });
    expect(parseBaseline('{"version":1}')).toEqual({ ok: false, errors: ['"entries" must be an array'] });
    expect(parseBaseline('{"version":1,"entries":[{"fingerprint":"x"}]}')).toMatchObject({ ok: false });
  });
});

describe('baseline errors', () => {
  it('never quote a secret from the file given as a baseline', () => {
    const key = ['AI', 'zaSy', 'Q7v9Lm2Kx8Rt4Wp6Zb1Nc3Hd5Fg0Js7Ye'].join('');
    const parsed = parseBaseline(JSON.stringify({ version: key }));
    const message = parsed.ok ? '' : parsed.errors.join('\n');
    expect(message).toMatch(/^"version" must be 1 \(found "AIza…/);
    expect(message).not.toContain(key.slice(4, 20));
  });
});
