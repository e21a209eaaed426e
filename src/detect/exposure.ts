// Whether a file is served to browsers or shipped inside an app: a key there is public by design.
import picomatch from 'picomatch';
import type { Exposure } from '../types.js';

const CLIENT_GLOBS = [
  '**/*.{html,htm,xhtml,vue,svelte,astro,jsx,tsx}',
  '**/*.{min.js,bundle.js,chunk.js}',
  '**/{public,static,www,wwwroot,assets,dist,build,out,.next,_next}/**',
  '**/{components,pages,app,views,frontend,client,web,webapp}/**/*.{js,ts,mjs,cjs}',
  '**/{android,ios,mobile}/**',
  '**/{AndroidManifest.xml,google-services.json,GoogleService-Info.plist,Info.plist}',
  '**/res/values/*.xml',
  '**/*.{swift,dart}',
];
/** Compiled at the first use: most runs classify no key, and the hook pays for every start. */
let clientPaths: ((path: string) => boolean) | undefined;

const CLIENT_VARIABLES = /\b(?:VITE_|NEXT_PUBLIC_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|PUBLIC_|GATSBY_|VUE_APP_)[A-Z0-9_]*/;

/** `client` when the path or the line says the key reaches browsers or apps; else `server`. */
export function classifyExposure(path: string, line: string): Exposure {
  if (CLIENT_VARIABLES.test(line)) return 'client';
  clientPaths ??= picomatch(CLIENT_GLOBS, { dot: true, nocase: true });
  return clientPaths(path.replace(/\\/g, '/')) ? 'client' : 'server';
}
