import type { Config } from '@catalog/domain';
import { temporalClientInterceptors } from '@catalog/telemetry';
import { Client, Connection } from '@temporalio/client';

export type Temporal = {
  client: Client;
  connection: Connection;
  namespace: string;
  taskQueue: string;
  /** Resolves when the frontend answers within `timeoutMs`, rejects otherwise. */
  ping: (timeoutMs: number) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * One lazy connection per process: the API starts, and reports Temporal as down in /health/ready,
 * even while the Temporal server is unreachable; calls reconnect by themselves when it is back.
 */
export function createTemporal(config: Config): Temporal {
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: 2_000 });
  // With an OTLP endpoint, server.ts started tracing: a workflow start continues the request's trace.
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: temporalClientInterceptors(Boolean(config.OTEL_EXPORTER_OTLP_ENDPOINT)),
  });
  return {
    client,
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ping: async (timeoutMs) => {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
    },
    close: async () => {
      // A connect attempt still in flight (Temporal was unreachable at the last call) rejects with
      // "Channel has been shut down" once the channel closes; nobody awaits it any more by then.
      connection.ensureConnected().catch(() => undefined);
      await connection.close();
    },
  };
}
