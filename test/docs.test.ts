// The user documentation stays small, linked and complete: the README within 25 KB, every relative link in the
// README and docs/ pointing at a file (and heading) that exists, and every flag of every command documented in docs/.
// The flags come from the built CLI's --help (test/global-setup.ts builds dist/cli.js), so a new flag fails here
// until docs/ describes it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REASONS } from '../src/verify/classify.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const README_LIMIT = 25 * 1024;

// Pages other branches are writing at the same time as this one. Links to them are not checked until they exist:
// once those branches are merged, empty this list so a broken link to them fails again.
const PENDING_PAGES: string[] = [];

const DOCS = join(ROOT, 'docs');
const pages = [join(ROOT, 'README.md'), ...readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => join(DOCS, f))];

/** Markdown text without fenced code blocks and inline code, where `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function relativeLinks(file: string): string[] {
  const links: string[] = [];
  for (const m of prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    links.push(target);
  }
  return links;
}

function help(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args, '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`keyguard ${[...args, '--help'].join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe('README.md', () => {
  it(`is at most ${README_LIMIT} bytes (depth belongs in docs/)`, () => {
    const size = statSync(join(ROOT, 'README.md')).size;
    expect(size, `README.md is ${size} bytes; move detail into docs/`).toBeLessThanOrEqual(README_LIMIT);
  });
});

describe('links in README.md and docs/*.md', () => {
  it('finds the pages to check', () => {
    expect(pages.map((p) => relative(ROOT, p))).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/commands.md']));
  });

  it('point to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of relativeLinks(page)) {
        const [path = '', fragment] = link.split('#');
        const target = path ? resolve(dirname(page), decodeURIComponent(path)) : page;
        const shown = `${relative(ROOT, page)}: (${link})`;
        if (PENDING_PAGES.includes(relative(ROOT, target))) continue;
        if (!existsSync(target)) {
          broken.push(`${shown}: no file ${relative(ROOT, target)}`);
          continue;
        }
        if (fragment && target.endsWith('.md') && !anchors(target).has(fragment)) broken.push(`${shown}: no heading #${fragment} in ${relative(ROOT, target)}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('docs/ documents every flag', () => {
  const root = help([]);
  const commands = [...root.slice(root.indexOf('Commands:'), root.indexOf('Options:')).matchAll(/^\s+keyguard ([a-z][a-z-]*)/gm)].map((m) => m[1]!);
  const docs = readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(DOCS, f), 'utf8'))
    .join('\n');

  it('lists the commands from keyguard --help', () => {
    expect(commands).toEqual(expect.arrayContaining(['scan', 'staged', 'history', 'install', 'baseline']));
  });

  it.each(['(root)', ...commands])('keyguard %s --help: every --flag appears in docs/*.md', (command) => {
    const text = command === '(root)' ? root : help([command]);
    const flags = [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]))];
    expect(flags.length, `no flags parsed from keyguard ${command} --help`).toBeGreaterThan(0);
    const missing = flags.filter((flag) => !new RegExp(`${flag}(?![a-z0-9-])`).test(docs));
    expect(missing, `keyguard ${command}: flags not documented in docs/*.md`).toEqual([]);
  });
});

describe('docs/leak-response.md', () => {
  it('lists every --verify reason with the verdict src/verify/classify.ts gives it', () => {
    const page = readFileSync(join(DOCS, 'leak-response.md'), 'utf8');
    const wrong = Object.entries(REASONS)
      .filter(([reason, { status }]) => !new RegExp(`\\|\\s*\`${reason}\`[^\\n]*\\|\\s*\`${status}\`\\s*\\|`).test(page))
      .map(([reason, { status }]) => `${reason} → ${status}`);
    expect(wrong).toEqual([]);
  });
});
