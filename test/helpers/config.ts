// A user rule for an internal token format, for configuration tests.
import { randomString, rng } from './keys.js';

/** An internal token format, built at run time so no token-shaped literal sits in the repository. */
export function acmeToken(seed = 1): string {
  return ['ac', 'me_', 'live_', randomString(rng(seed), 32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')].join('');
}

export function acmeRuleYaml(pattern = '(?<secret>acme_live_[A-Za-z0-9]{32})', example = `token = ${acmeToken(99)} # keyguard:allow`): string {
  return [
    'rules:',
    '  - id: acme-internal-token',
    '    title: Acme internal token',
    '    description: A token for Acme internal services.',
    '    severity: high',
    '    kind: generic-secret',
    '    keywords: [acme_live_]',
    `    pattern: '${pattern}'`,
    '    entropy: 3',
    '    examples:',
    `      - '${example}'`,
    '    negativeExamples:',
    "      - 'token = acme_live_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'",
    '',
  ].join('\n');
}

