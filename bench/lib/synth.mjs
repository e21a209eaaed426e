// A deterministic synthetic repository for `npm run bench`: source files in several languages, thousands of
// commits (with side branches merged back, an unmerged branch and tags), a few binary and large files, and planted
// Google API keys, written through one `git fast-import` stream. Same seed, size and commit count → same history.
//
// Every key-shaped value is assembled at run time from split pieces, so this file holds no key-shaped literal.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from './rng.mjs';

/** Bump when the generator changes, so cached repositories are rebuilt. */
export const SYNTH_VERSION = 2;

// ---------------------------------------------------------------- seeded PRNG (mulberry32)
export function createRandom(seed) {
  const r = rng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(r() * list.length)];
  const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const str = (n, alphabet = URLSAFE) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  return { r, int, pick, str };
}

// ---------------------------------------------------------------- vocabulary and line templates
const WORDS = ('user account session token request response handler config options value result error cache buffer ' +
  'stream client server router route query params payload message event queue worker task job schedule timer ' +
  'index count total offset limit page item items list map entry key name path file dir node tree parent child ' +
  'state store action reducer props render view model schema field record row column table report metric span ' +
  'trace logger level format parse encode decode validate build create update remove fetch load save open close').split(' ');
const TYPES = ['string', 'number', 'boolean', 'Date', 'Buffer', 'Record<string, unknown>', 'Item[]', 'Options'];
const cap = (w) => w[0].toUpperCase() + w.slice(1);

function ident(R, parts = R.int(1, 3)) {
  let s = R.pick(WORDS);
  for (let i = 1; i < parts; i++) s += cap(R.pick(WORDS));
  return s;
}
const snake = (R) => `${R.pick(WORDS)}_${R.pick(WORDS)}`;
const sentence = (R, n = R.int(4, 12)) => Array.from({ length: n }, () => R.pick(WORDS)).join(' ');

const LANGS = {
  ts: {
    dir: 'src', ext: '.ts', weight: 5,
    head: (R) => [`import { ${cap(ident(R))} } from './${R.pick(WORDS)}.js';`, `import type { ${cap(ident(R))} } from '../types.js';`, ''],
    line: (R, ind) => R.pick([
      () => `${ind}const ${ident(R)} = ${ident(R)}(${ident(R)}, ${R.int(0, 999)});`,
      () => `${ind}if (${ident(R)}.${R.pick(WORDS)} === undefined) return ${R.pick(['null', 'undefined', 'false', '[]'])};`,
      () => `${ind}// ${sentence(R)}`,
      () => `${ind}export function ${ident(R, 2)}(${R.pick(WORDS)}: ${R.pick(TYPES)}): ${R.pick(TYPES)} {`,
      () => `${ind}for (const ${R.pick(WORDS)} of ${ident(R)}.${R.pick(WORDS)}s) ${ident(R)}.push(${R.pick(WORDS)});`,
      () => `${ind}await this.${ident(R)}.${R.pick(WORDS)}({ ${R.pick(WORDS)}: ${R.int(1, 9000)}, ${R.pick(WORDS)}: '${R.pick(WORDS)}' });`,
      () => `${ind}}`,
    ])(),
  },
  js: {
    dir: 'lib', ext: '.js', weight: 3,
    head: (R) => [`'use strict';`, `const ${R.pick(WORDS)} = require('./${R.pick(WORDS)}');`, ''],
    line: (R, ind) => R.pick([
      () => `${ind}const ${ident(R)} = ${ident(R)}.${R.pick(WORDS)}(${R.int(0, 99)});`,
      () => `${ind}module.exports.${ident(R)} = function ${ident(R)}(${R.pick(WORDS)}, ${R.pick(WORDS)}) {`,
      () => `${ind}// ${sentence(R)}`,
      () => `${ind}if (!${ident(R)}) throw new Error('${sentence(R, 5)}');`,
      () => `${ind}return ${ident(R)}.map((${R.pick(WORDS)}) => ${R.pick(WORDS)}.${R.pick(WORDS)});`,
      () => `${ind}};`,
    ])(),
  },
  py: {
    dir: 'app', ext: '.py', weight: 4,
    head: (R) => [`import ${R.pick(['os', 'json', 'logging', 're', 'typing'])}`, `from .${R.pick(WORDS)} import ${cap(ident(R))}`, ''],
    line: (R, ind) => R.pick([
      () => `${ind}${snake(R)} = ${snake(R)}(${R.int(0, 99)}, ${R.pick(WORDS)}="${R.pick(WORDS)}")`,
      () => `${ind}def ${snake(R)}(self, ${R.pick(WORDS)}, ${R.pick(WORDS)}=None):`,
      () => `${ind}# ${sentence(R)}`,
      () => `${ind}if ${snake(R)} is None:`,
      () => `${ind}    return self.${snake(R)}[${R.int(0, 9)}]`,
      () => `${ind}for ${R.pick(WORDS)} in self.${snake(R)}:`,
      () => `${ind}"""${sentence(R)}."""`,
    ])(),
  },
  go: {
    dir: 'internal', ext: '.go', weight: 3,
    head: (R) => [`package ${R.pick(WORDS)}`, '', 'import (', '\t"context"', '\t"fmt"', ')', ''],
    line: (R, ind) => R.pick([
      () => `${ind}${ident(R)} := ${cap(ident(R))}(ctx, ${R.int(0, 99)})`,
      () => `${ind}if err != nil {\n${ind}\treturn fmt.Errorf("${sentence(R, 4)}: %w", err)\n${ind}}`,
      () => `${ind}// ${cap(ident(R))} ${sentence(R)}`,
      () => `func (s *${cap(R.pick(WORDS))}) ${cap(ident(R))}(ctx context.Context, ${R.pick(WORDS)} ${R.pick(['string', 'int', '[]byte'])}) error {`,
      () => `${ind}s.${R.pick(WORDS)}[${R.pick(WORDS)}] = append(s.${R.pick(WORDS)}[${R.pick(WORDS)}], ${R.pick(WORDS)})`,
      () => `}`,
    ])(),
  },
  java: {
    dir: 'src/main/java/com/example', ext: '.java', weight: 2,
    head: (R) => ['package com.example;', '', `import java.util.${R.pick(['List', 'Map', 'Optional'])};`, ''],
    line: (R, ind) => R.pick([
      () => `${ind}private final ${cap(R.pick(WORDS))} ${ident(R)} = new ${cap(R.pick(WORDS))}(${R.int(0, 99)});`,
      () => `${ind}public ${cap(R.pick(WORDS))} ${ident(R)}(${cap(R.pick(WORDS))} ${R.pick(WORDS)}) {`,
      () => `${ind}// ${sentence(R)}`,
      () => `${ind}return this.${ident(R)}.get${cap(R.pick(WORDS))}();`,
      () => `${ind}}`,
    ])(),
  },
  rs: {
    dir: 'crates/core/src', ext: '.rs', weight: 2,
    head: (R) => [`use crate::${R.pick(WORDS)}::${cap(R.pick(WORDS))};`, 'use std::collections::HashMap;', ''],
    line: (R, ind) => R.pick([
      () => `${ind}let ${snake(R)} = ${snake(R)}(&${R.pick(WORDS)})?;`,
      () => `${ind}pub fn ${snake(R)}(&self, ${R.pick(WORDS)}: &str) -> Result<${cap(R.pick(WORDS))}, Error> {`,
      () => `${ind}/// ${sentence(R)}`,
      () => `${ind}self.${R.pick(WORDS)}.insert(${R.pick(WORDS)}.clone(), ${R.int(0, 99)});`,
      () => `${ind}}`,
    ])(),
  },
  c: {
    dir: 'native', ext: '.c', weight: 1,
    head: (R) => ['#include <stdio.h>', '#include <stdlib.h>', `#include "${R.pick(WORDS)}.h"`, ''],
    line: (R, ind) => R.pick([
      () => `${ind}int ${snake(R)} = ${snake(R)}(${R.pick(WORDS)}, ${R.int(0, 255)});`,
      () => `${ind}static void ${snake(R)}(struct ${R.pick(WORDS)} *${R.pick(WORDS)}) {`,
      () => `${ind}/* ${sentence(R)} */`,
      () => `${ind}if (${R.pick(WORDS)} == NULL) return -1;`,
      () => `${ind}}`,
    ])(),
  },
  yaml: {
    dir: 'deploy', ext: '.yaml', weight: 1,
    head: (R) => [`# ${sentence(R)}`, `apiVersion: apps/v1`, `kind: ${R.pick(['Deployment', 'Service', 'ConfigMap'])}`],
    line: (R, ind) => R.pick([
      () => `${ind}${R.pick(WORDS)}: ${R.pick(WORDS)}-${R.int(1, 99)}`,
      () => `${ind}${R.pick(WORDS)}:`,
      () => `${ind}  - name: ${snake(R).toUpperCase()}`,
      () => `${ind}    value: "${R.pick(WORDS)}"`,
    ])(),
  },
  md: {
    dir: 'docs', ext: '.md', weight: 1,
    head: (R) => [`# ${cap(sentence(R, 3))}`, ''],
    line: (R) => R.pick([
      () => `${cap(sentence(R, R.int(8, 20)))}.`,
      () => `- ${cap(sentence(R, 6))}`,
      () => `## ${cap(sentence(R, 3))}`,
      () => '',
      () => `\`${ident(R)}\` ${sentence(R)}.`,
    ])(),
  },
  json: {
    dir: 'fixtures', ext: '.json', weight: 1,
    head: () => ['{'],
    line: (R) => `  "${ident(R)}": ${R.pick([() => `"${sentence(R, 3)}"`, () => String(R.int(0, 1e6)), () => 'true', () => `[${R.int(0, 9)}, ${R.int(0, 9)}]`])()},`,
  },
};
const LANG_LIST = Object.entries(LANGS).flatMap(([k, v]) => Array(v.weight).fill(k));

function makeLines(R, lang, n) {
  const L = LANGS[lang];
  const out = [];
  for (let i = 0; i < n; i++) out.push(L.line(R, R.r() < 0.6 ? '  '.repeat(R.int(1, 3)) : ''));
  return out;
}

/** A file's size in lines, log-normal-ish: most small, a tail of big ones. */
function lineCount(R) {
  const u = R.r();
  if (u < 0.5) return R.int(20, 200);
  if (u < 0.85) return R.int(200, 800);
  if (u < 0.98) return R.int(800, 2500);
  return R.int(2500, 8000);
}

// ---------------------------------------------------------------- planted keys
const J = (...p) => p.join('');
function plantedKey(R) {
  return J('AI', 'za', 'Sy') + R.str(33);
}
const PLANT_FORMS = [
  (k) => ({ ext: '.env', line: `${J('GEMINI', '_API_KEY')}=${k}` }),
  (k) => ({ ext: '.ts', line: `export const firebaseConfig = { apiKey: "${k}", projectId: "demo-app" };` }),
  (k) => ({ ext: '.py', line: `client = genai.Client(api_key="${k}")` }),
  (k) => ({ ext: '.yaml', line: `  maps_api_key: ${k}` }),
  (k) => ({ ext: '.json', line: `  "api_key": "${k}",` }),
  (k) => ({ ext: '.go', line: `\tconst apiKey = "${k}"` }),
];

// ---------------------------------------------------------------- the fast-import stream
/**
 * Build the repository at `dir` (a fresh non-bare repository, HEAD checked out).
 * @returns {Promise<{commits:number, planted:object[]}>}
 */
export async function buildSyntheticRepo(dir, { seed = 1, sizeMB = 250, commits = 3000, log = () => {} } = {}) {
  const R = createRandom(seed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const closed = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))));
  });
  const write = async (s) => {
    if (!child.stdin.write(s)) await new Promise((r) => child.stdin.once('drain', r));
  };

  const target = sizeMB * 1e6;
  let written = 0;
  let mark = 0;
  let time = 1_600_000_000;
  const people = Array.from({ length: 25 }, (_, i) => ({ name: `${cap(R.pick(WORDS))} ${cap(R.pick(WORDS))}`, email: `dev${i}@example.com` }));
  /** path → lines (the main line's tree). */
  const files = new Map();
  const paths = [];
  const planted = [];

  const rawBlob = async (buf) => {
    written += buf.length;
    mark++;
    await write(`blob\nmark :${mark}\ndata ${buf.length}\n`);
    await write(buf);
    await write('\n');
    return mark;
  };
  const blob = (text) => rawBlob(Buffer.from(text, 'utf8'));
  const commit = async (ref, message, changes, from, merge) => {
    mark++;
    const who = R.pick(people);
    time += R.int(60, 20000);
    const msg = Buffer.from(message, 'utf8');
    let s = `commit ${ref}\nmark :${mark}\nauthor ${who.name} <${who.email}> ${time} +0000\ncommitter ${who.name} <${who.email}> ${time} +0000\ndata ${msg.length}\n${message}\n`;
    if (from) s += `from :${from}\n`;
    if (merge) s += `merge :${merge}\n`;
    for (const c of changes) s += c.delete ? `D ${c.path}\n` : `M 100644 :${c.mark} ${c.path}\n`;
    await write(s + '\n');
    return mark;
  };
  const newPath = (lang) => {
    const L = LANGS[lang];
    for (;;) {
      const p = `${L.dir}/${R.pick(WORDS)}${R.int(0, 3) ? `/${R.pick(WORDS)}` : ''}/${ident(R, 2).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${L.ext}`;
      if (!files.has(p)) return p;
    }
  };
  /** A new version of a file: replace, insert and delete a few runs of lines. */
  const edit = (lang, lines) => {
    const out = lines.slice();
    const runs = R.int(1, 4);
    for (let i = 0; i < runs; i++) {
      const at = R.int(0, out.length);
      const del = Math.min(out.length - at, R.int(0, 8));
      out.splice(at, del, ...makeLines(R, lang, R.int(1, 12)));
    }
    return out;
  };
  const langOf = (p) => Object.keys(LANGS).find((k) => p.endsWith(LANGS[k].ext)) ?? 'md';

  // The initial import: a few thousand files.
  const initialFiles = Math.max(200, Math.min(2400, Math.round(commits * 0.8)));
  const initial = [];
  for (let i = 0; i < initialFiles; i++) {
    const lang = R.pick(LANG_LIST);
    const p = newPath(lang);
    const lines = [...LANGS[lang].head(R), ...makeLines(R, lang, lineCount(R))];
    files.set(p, lines);
    paths.push(p);
    initial.push({ path: p, mark: await blob(lines.join('\n') + '\n') });
  }
  // A few binary assets and one large generated bundle.
  for (let i = 0; i < 6; i++) {
    const n = R.int(20_000, 200_000);
    const buf = Buffer.alloc(n);
    for (let j = 0; j < n; j++) buf[j] = (R.r() * 256) | 0;
    buf.write('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 0, 'latin1');
    initial.push({ path: `assets/img/${R.pick(WORDS)}-${i}.png`, mark: await rawBlob(buf) });
  }
  initial.push({ path: 'dist/bundle.min.js', mark: await blob(makeLines(R, 'js', 40_000).join(';')) });
  let main = await commit('refs/heads/main', 'Initial import\n', initial);
  log(`synthetic: initial import of ${initial.length} files`);

  // Where planted keys go: commit indices spread over history.
  const plantAt = new Map();
  const removeAt = new Map();
  for (let i = 0; i < 10; i++) plantAt.set(Math.floor(((i + 0.5) / 10) * (commits - 1)) + 1, i);
  const perCommit = () => Math.max(1, (target - written) / Math.max(1, commits - c));
  let c = 1;
  let side;
  for (; c < commits; c++) {
    const budget = perCommit();
    const changes = [];
    let bytes = 0;
    const touched = new Set();
    while (bytes < budget && touched.size < 200) {
      const u = R.r();
      if (u < 0.04 || paths.length === 0) {
        const lang = R.pick(LANG_LIST);
        const p = newPath(lang);
        const lines = [...LANGS[lang].head(R), ...makeLines(R, lang, lineCount(R))];
        files.set(p, lines);
        paths.push(p);
        touched.add(p);
        const text = lines.join('\n') + '\n';
        bytes += text.length;
        changes.push({ path: p, mark: await blob(text) });
      } else if (u < 0.05 && paths.length > 500) {
        const idx = R.int(0, paths.length - 1);
        const p = paths[idx];
        if (touched.has(p)) continue;
        paths.splice(idx, 1);
        files.delete(p);
        touched.add(p);
        changes.push({ path: p, delete: true });
      } else {
        const p = R.pick(paths);
        if (touched.has(p)) continue;
        touched.add(p);
        const lines = edit(langOf(p), files.get(p));
        files.set(p, lines);
        const text = lines.join('\n') + '\n';
        bytes += text.length;
        changes.push({ path: p, mark: await blob(text) });
      }
    }
    const k = plantAt.get(c);
    if (k !== undefined) {
      const key = plantedKey(R);
      const form = PLANT_FORMS[k % PLANT_FORMS.length](key);
      const p = form.ext === '.env' ? `config/${R.pick(WORDS)}${k}.env` : newPath(langOf(`x${form.ext}`));
      const lines = form.ext === '.env' ? [`# ${sentence(R)}`, form.line, `${snake(R).toUpperCase()}=${R.pick(WORDS)}`] : [...LANGS[langOf(`x${form.ext}`)].head(R), ...makeLines(R, langOf(`x${form.ext}`), 30), form.line, ...makeLines(R, langOf(`x${form.ext}`), 30)];
      files.set(p, lines);
      paths.push(p);
      changes.push({ path: p, mark: await blob(lines.join('\n') + '\n') });
      planted.push({ commit: c, path: p, removedLater: k % 3 === 0 });
      // Every third key is removed a few commits later (only history still holds it).
      if (k % 3 === 0) removeAt.set(c + 5, p);
    }
    const gone = removeAt.get(c);
    if (gone !== undefined && files.has(gone) && !touched.has(gone)) {
      paths.splice(paths.indexOf(gone), 1);
      files.delete(gone);
      changes.push({ path: gone, delete: true });
    }
    // Now and then a side branch of a few commits, merged back into main.
    if (c % 60 === 30 && !side) {
      const sideChanges = new Map();
      let tip = main;
      for (let s = 0; s < R.int(2, 4); s++) {
        const p = R.pick(paths);
        const lines = edit(langOf(p), files.get(p));
        const m = await blob(lines.join('\n') + '\n');
        sideChanges.set(p, { lines, mark: m });
        tip = await commit('refs/heads/topic', `${cap(sentence(R, 5))}\n`, [{ path: p, mark: m }], tip);
      }
      side = { tip, changes: sideChanges };
    }
    if (side && c % 60 === 40) {
      for (const [p, v] of side.changes) {
        if (!files.has(p) || touched.has(p)) continue;
        files.set(p, v.lines);
        changes.push({ path: p, mark: v.mark });
      }
      main = await commit('refs/heads/main', `Merge branch 'topic'\n`, changes, main, side.tip);
      side = undefined;
    } else {
      main = await commit('refs/heads/main', `${cap(sentence(R, R.int(3, 9)))}\n`, changes, main);
    }
    if (c % 500 === 0) {
      await write(`tag v0.${c / 500}.0\nfrom :${main}\ntagger Release Bot <release@example.com> ${time} +0000\ndata 8\nrelease\n\n`);
      log(`synthetic: ${c}/${commits} commits, ${(written / 1e6).toFixed(0)} MB of blobs`);
    }
  }
  // A branch never merged, holding one more key: only `--all` finds it.
  {
    const key = plantedKey(R);
    const p = 'scripts/deploy-preview.sh';
    const m = await blob(`#!/bin/sh\nexport ${J('GOOGLE', '_API_KEY')}=${key}\n./deploy --preview\n`);
    await commit('refs/heads/experiment', 'Preview deploy script\n', [{ path: p, mark: m }], main);
    planted.push({ commit: 'experiment', path: p, removedLater: false });
  }
  await write('done\n');
  child.stdin.end();
  await closed;
  // Packed as a clone from a server packs it: deltas found afresh (-f; git's default window and depth), not the few
  // fast-import made, on one thread so the pack is the same each time. (Version 1 kept fast-import's, and stored
  // nine blobs in ten whole: a pack no clone has.)
  execFileSync('git', ['-c', 'gc.auto=0', '-c', 'pack.threads=1', 'repack', '-a', '-d', '-f', '-q'], { cwd: dir });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
  return { commits, planted };
}

/** The cached synthetic repository for these parameters (built when missing). */
export async function ensureSyntheticRepo(workDir, params, log) {
  const name = `synth-s${params.sizeMB}-c${params.commits}-seed${params.seed}-v${SYNTH_VERSION}`;
  const base = join(workDir, name);
  const repo = join(base, 'repo');
  const stamp = join(base, 'built.json');
  if (existsSync(stamp) && existsSync(join(repo, '.git'))) return { repo, name, ...JSON.parse(readFileSync(stamp, 'utf8')) };
  log(`synthetic: building ${name} (size ${params.sizeMB} MB, ${params.commits} commits, seed ${params.seed})`);
  const started = Date.now();
  const info = await buildSyntheticRepo(repo, { ...params, log });
  writeFileSync(stamp, JSON.stringify({ ...info, buildSeconds: (Date.now() - started) / 1000 }, null, 2));
  log(`synthetic: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { repo, name, ...info };
}
