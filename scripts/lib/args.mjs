/**
 * `node scripts/start.mjs [--dev | --test [paths...] | --bench [names...] [bench options...]]`.
 * Anything after the mode flag is handed to that mode, so `npm test -- tests/` and
 * `npm run bench:import -- --rows 5000000` work without quoting: a benchmark's names end at the
 * first option, and the options go to every benchmark file.
 */
const modeFlags = new Map([
  ['--dev', 'dev'],
  ['--test', 'test'],
  ['--bench', 'bench'],
]);

export function parseLauncherArgs(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) return { mode: 'start', targets: [], options: [] };
  const mode = modeFlags.get(first);
  if (!mode) {
    throw new Error(`Unknown argument ${first}: use --dev, --test [paths...] or --bench [names...]`);
  }
  if (mode === 'dev' && rest.length > 0) throw new Error(`--dev takes no arguments (got ${rest.join(' ')})`);
  if (mode !== 'bench') return { mode, targets: rest, options: [] };
  const firstOption = rest.findIndex((arg) => arg.startsWith('-'));
  const split = firstOption === -1 ? rest.length : firstOption;
  return { mode, targets: rest.slice(0, split), options: rest.slice(split) };
}
