import type { WebhookEndpointView } from '../api/webhooks';
import { RATE_LIMIT_MAX } from '../api/webhooks';

export type EndpointStatus = {
  key: 'active' | 'failing' | 'paused' | 'disabled';
  label: string;
  /** One of the StatusBadge palette's classes, whose contrast is checked (≥ 4.5:1). */
  badge: 'badge--completed' | 'badge--failed' | 'badge--cancelled';
};

/** What the Status column says of an endpoint: its lane's state, and whether it is failing. */
export function endpointStatus(endpoint: WebhookEndpointView): EndpointStatus {
  const { state } = endpoint;
  if (state === 'disabled') return { key: 'disabled', label: 'Disabled', badge: 'badge--cancelled' };
  if (state === 'paused') return { key: 'paused', label: 'Paused by circuit breaker', badge: 'badge--failed' };
  if (endpoint.failingSince) return { key: 'failing', label: 'Failing', badge: 'badge--failed' };
  return { key: 'active', label: 'Active', badge: 'badge--completed' };
}

export function describeRateLimit(perSecond: number | null): string {
  return perSecond === null ? 'No rate limit' : `Up to ${perSecond.toLocaleString('en')} a second`;
}

export function describeOrder(ordered: boolean): string {
  return ordered ? 'In order' : 'Any order';
}

/** The rate limit field's text: empty is no limit; otherwise a whole number from 1 to RATE_LIMIT_MAX. */
export function parseRateLimit(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1 || value > RATE_LIMIT_MAX) {
    return {
      ok: false,
      message: `Enter a whole number from 1 to ${RATE_LIMIT_MAX.toLocaleString('en')}, or leave it empty for no limit.`,
    };
  }
  return { ok: true, value };
}

/** A `datetime-local` value (local time, to the minute) for an instant. */
export function toDateTimeLocal(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}`
  );
}

/** The instant a `datetime-local` value names (read in local time), as ISO 8601; null if it names none. */
export function fromDateTimeLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** Recover's default: everything failed or held in the last 24 hours. */
export function defaultRecoverSince(now: Date = new Date()): string {
  return toDateTimeLocal(new Date(now.getTime() - 24 * 3_600_000));
}
