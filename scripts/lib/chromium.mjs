import { findOnPath, isExecutableFile } from './which.mjs';

const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** CHROMIUM_PATH wins; otherwise Debian's /usr/bin/chromium, then the usual names on PATH. */
export function findChromium(env, isExecutable = isExecutableFile) {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of BROWSER_NAMES) {
    const found = findOnPath(name, env.PATH, isExecutable);
    if (found) return found;
  }
  return undefined;
}
