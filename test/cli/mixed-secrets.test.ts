// A new user's one-line credentials through the CLI (in-process), in every --format and the GitHub job summary:
// the finding's secret is redacted, and so is every other secret on its line, even with --show-secrets.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git-repo.js';
import { fakeClientSecret, fakeGoogleApiKey, fakeOtherCredentials, fakeRefreshToken } from '../helpers/keys.js';
import { FORMATS } from '../../src/report/index.js';

const P = (...parts: string[]): string => parts.join('');

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Everything a user can read: stdout, stderr and (for --format github) the job summary. */
async function outputs(dir: string, args: string[]): Promise<Record<string, string>> {
  const all: Record<string, string> = {};
  for (const format of FORMATS) {
    const summary = join(dir, '..', `summary-${format}.md`);
    writeFileSync(summary, '');
    const r = await runCli(['scan', '--format', format, ...args], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' } });
    expect(r.exitCode, `${format}: ${r.stderr}`).toBe(1);
    all[format] = r.stdout;
    all[`${format} stderr`] = r.stderr;
    all[`${format} summary`] = readFileSync(summary, 'utf8');
  }
  return all;
}

describe('one line, several secrets', () => {
  const clientSecret = fakeClientSecret(41);
  const refreshToken = fakeRefreshToken(42);
  const adc = `${JSON.stringify({ type: P('authorized', '_user'), client_id: '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com', client_secret: clientSecret, refresh_token: refreshToken })}\n`;

  it('a one-line authorized_user JSON: neither the refresh token nor the client secret beside it, in any format', async () => {
    const dir = project({ 'application_default_credentials.json': adc });
    const all = await outputs(dir, []);
    expect(all['github summary']).toContain('## keyguard');
    const json = JSON.parse(all['json']!) as { findings: { excerpt: string; secret: string }[] };
    expect(json.findings.some((f) => f.excerpt.includes('":"GOCS…'))).toBe(true);
    for (const [where, text] of Object.entries(all)) {
      expect(text, where).not.toContain(clientSecret.slice(0, 16));
      expect(text, where).not.toContain(clientSecret.slice(-16));
      expect(text, where).not.toContain(refreshToken.slice(0, 16));
      expect(text, where).not.toContain(refreshToken.slice(-16));
    }
  });

  it('with --show-secrets the findings are shown (the client secret is one of its own); another secret on the line stays masked', async () => {
    const aws = fakeOtherCredentials(45)['awsSecretAccessKey']!;
    const line = adc.replace(/}\n$/, `,"aws_secret_access_key":"${aws}"}\n`);
    const dir = project({ 'application_default_credentials.json': line });
    const all = await outputs(dir, ['--show-secrets']);
    const json = JSON.parse(all['json']!) as { findings: { ruleId: string; secret: string }[] };
    expect(json.findings.map((f) => [f.ruleId, f.secret]).sort()).toEqual(
      [
        ['google-authorized-user', refreshToken],
        ['google-oauth-client-secret', clientSecret],
      ].sort(),
    );
    for (const [where, text] of Object.entries(all)) expect(text, where).not.toContain(aws.slice(4, 20));
  });

  it('a one-line .env: a Google key beside AWS, GitHub, Slack, Stripe credentials and a password', async () => {
    const key = fakeGoogleApiKey(43);
    const o = fakeOtherCredentials(44);
    const line = `GEMINI_API_KEY=${key} AWS_ACCESS_KEY_ID=${o['awsAccessKeyId']} AWS_SECRET_ACCESS_KEY=${o['awsSecretAccessKey']} GITHUB_TOKEN=${o['githubToken']} SLACK_TOKEN=${o['slackToken']} STRIPE_KEY=${o['stripeKey']} DB_PASSWORD=hunter2-${o['urlPassword']}\n`;
    const dir = project({ 'deploy/settings.txt': line });
    const all = await outputs(dir, []);
    expect(all['text']).toContain('GEMINI_API_KEY=AIza…');
    for (const [where, text] of Object.entries(all)) {
      expect(text, where).not.toContain(key.slice(4, 20));
      for (const value of Object.values(o)) expect(text, where).not.toContain(value.slice(4, 16));
    }
  });
});
