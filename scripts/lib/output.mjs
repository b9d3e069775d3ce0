import { createInterface } from 'node:readline';

/**
 * Child output arrives interleaved from many processes, so every line carries the name of the
 * process that wrote it, padded to one column and coloured when a terminal is attached.
 */
const palette = [36, 35, 33, 32, 34, 91, 96, 95, 93];
const colours = new Map();
const useColour = process.stdout.isTTY && !process.env.NO_COLOR && !process.env.CI;
const labelWidth = 8;

export function label(name) {
  const text = name.padEnd(labelWidth);
  if (!useColour) return `${text} |`;
  if (!colours.has(name)) colours.set(name, palette[colours.size % palette.length]);
  return `\x1b[${colours.get(name)}m${text} |\x1b[0m`;
}

export function prefixLines(name, stream, target, isMuted) {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    if (!isMuted()) target.write(`${label(name)} ${line}\n`);
  });
}

export function createLog(name) {
  return {
    info: (message) => process.stdout.write(`${label(name)} ${message}\n`),
    error: (message) => process.stderr.write(`${label(name)} ${message}\n`),
  };
}
