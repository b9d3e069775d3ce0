const countFormat = new Intl.NumberFormat('en');
const decimalFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

export const formatCount = (value: number): string => countFormat.format(value);

function unitIndex(bytes: number): number {
  return Math.min(byteUnits.length - 1, Math.max(0, Math.floor(Math.log10(bytes || 1) / 3)));
}

function inUnit(bytes: number, index: number): string {
  return decimalFormat.format(bytes / 1000 ** index);
}

export function formatBytes(bytes: number): string {
  const index = unitIndex(bytes);
  return `${inUnit(bytes, index)} ${byteUnits[index]}`;
}

/** "12.3 of 480 MB": both sides in the unit of the total, so the numbers compare at a glance. */
export function formatBytesOf(done: number, total: number): string {
  const index = unitIndex(total);
  return `${inUnit(done, index)} of ${inUnit(total, index)} ${byteUnits[index]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${decimalFormat.format(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? 'just now' : relativeFormat.format(seconds, 'second');
}
