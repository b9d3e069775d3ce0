/** The npm that runs this script (`npm start` sets npm_execpath), so nested npm calls use the same version. */
export function npmCommand(env, args) {
  return env.npm_execpath ? [process.execPath, [env.npm_execpath, ...args]] : ['npm', args];
}
