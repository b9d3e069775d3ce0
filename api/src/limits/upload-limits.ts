import { type Config, errors } from '@catalog/domain';
import type { Middleware } from 'koa';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { type ConcurrencyGate, createConcurrencyGate } from './concurrency-gate';
import { extendDeadline } from './deadline';
import type { LimiterStore } from './limiter-store';
import { requesterKey } from './requester';
import { retryAfterSeconds } from './retry-after';

/** An upload slot frees when an upload ends; a few seconds is a fair guess. */
const IN_FLIGHT_RETRY_AFTER_SECONDS = 5;
const HOUR_SECONDS = 3600;

export type UploadLimits = {
  inFlight: ConcurrencyGate;
  /** Bytes received per user in the current hour. */
  bytes: RateLimiterAbstract;
  bytesPerHour: number;
  timeoutMs: number;
};

type Settings = Pick<Config, 'UPLOADS_IN_FLIGHT_PER_USER' | 'UPLOAD_BYTES_PER_HOUR_PER_USER' | 'UPLOAD_TIMEOUT_MS'>;

export function createUploadLimits(store: LimiterStore, config: Settings): UploadLimits {
  return {
    inFlight: createConcurrencyGate(config.UPLOADS_IN_FLIGHT_PER_USER),
    bytes: store.window({
      name: 'upload-bytes',
      points: config.UPLOAD_BYTES_PER_HOUR_PER_USER,
      windowSeconds: HOUR_SECONDS,
    }),
    bytesPerHour: config.UPLOAD_BYTES_PER_HOUR_PER_USER,
    timeoutMs: config.UPLOAD_TIMEOUT_MS,
  };
}

/**
 * Goes before the multipart parser of every upload route (POST /api/imports, POST /api/uploads):
 * refuses with 429 `rate_limited` a user who already has the allowed uploads in flight, or whose
 * uploads this hour (with this one's Content-Length) would pass the hourly bytes; gives the upload
 * UPLOAD_TIMEOUT_MS instead of the usual deadline; and counts the bytes it actually received,
 * whether the upload was accepted or not — they crossed the network either way.
 */
export function uploadLimitsMiddleware(limits: UploadLimits): Middleware {
  return async function limitUploads(ctx, next) {
    const key = requesterKey(ctx);
    const release = limits.inFlight.tryAcquire(key);
    if (!release) {
      throw errors.rateLimited(
        `At most ${limits.inFlight.limit} uploads may be in progress per user; wait for one to finish`,
        IN_FLIGHT_RETRY_AFTER_SECONDS,
        { limit: limits.inFlight.limit },
      );
    }
    ctx.res.once('close', release);
    try {
      const used = await limits.bytes.get(key);
      const usedBytes = used?.consumedPoints ?? 0;
      const declaredBytes = Number(ctx.get('content-length')) || 0;
      if (usedBytes + Math.max(declaredBytes, 1) > limits.bytesPerHour) {
        throw errors.rateLimited(
          `Uploads are limited to ${limits.bytesPerHour} bytes per hour per user; ${Math.max(0, limits.bytesPerHour - usedBytes)} are left this hour`,
          retryAfterSeconds(used?.msBeforeNext ?? HOUR_SECONDS * 1000),
          { bytesPerHour: limits.bytesPerHour, usedBytes },
        );
      }
    } catch (error: unknown) {
      release();
      throw error;
    }
    extendDeadline(ctx, limits.timeoutMs);
    // Socket bytes, not the parsed file: the same count for any upload route and any parser. The body
    // that arrived with the headers is read from the socket already and waits in the request's buffer.
    const socket = ctx.req.socket;
    const before = socket.bytesRead - ctx.req.readableLength;
    try {
      await next();
    } finally {
      const received = socket.bytesRead - before;
      release();
      // A count that cannot be written (its store away, with the in-memory insurance failing too)
      // must not replace the upload's own answer; the next upload is counted again.
      if (received > 0) await limits.bytes.penalty(key, received).catch(() => undefined);
    }
  };
}
