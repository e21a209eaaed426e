// Where --verify sends its requests. Pure: the environment is passed in.
import type { Result } from '../types.js';

/** The Gemini API's public endpoint; KEYGUARD_GOOGLE_API_BASE replaces it (tests point it at a local server). */
export const DEFAULT_API_BASE = 'https://generativelanguage.googleapis.com';

/** The base URL from KEYGUARD_GOOGLE_API_BASE (or the default), checked: http(s), no credentials, query or fragment. */
export function parseApiBase(env: NodeJS.ProcessEnv): Result<string> {
  const raw = env['KEYGUARD_GOOGLE_API_BASE'];
  if (raw === undefined || raw === '') return { ok: true, value: DEFAULT_API_BASE };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, errors: ['not a URL'] };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, errors: ['use an http:// or https:// URL'] };
  if (url.username || url.password || url.search || url.hash) return { ok: false, errors: ['give only scheme, host, port and path'] };
  return { ok: true, value: url.href.replace(/\/+$/, '') };
}
