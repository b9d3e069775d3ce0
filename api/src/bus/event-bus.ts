/**
 * Cross-process fan-out for live job snapshots. With Redis, every API replica sees every message and
 * only one replica polls Temporal per job; without it, the same contract holds inside one process.
 */
export type Unsubscribe = () => Promise<void>;

export interface EventBus {
  readonly kind: 'redis' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  /** Takes or renews a lease named `key` for `ttlMs` if free or already ours; true when we hold it. */
  lease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}
