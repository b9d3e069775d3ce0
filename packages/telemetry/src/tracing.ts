import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export type TracingOptions = {
  serviceName: string;
  /** The OTLP collector's base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); unset means tracing is off. */
  endpoint: string | undefined;
};

export type Tracing = {
  enabled: boolean;
  resource: Resource;
  /** Where spans end: the workflow sandbox's spans reach it through the worker's sink. */
  spanProcessor: SpanProcessor;
  /** Exports what is still buffered; call before the process exits. */
  shutdown: () => Promise<void>;
};

/** Probes and scrapes every few seconds would drown the traces that matter. */
const UNTRACED_PATHS = /^\/(health\/|metrics$)/;

/**
 * Starts tracing for this process: the global tracer provider, W3C context propagation, and the
 * http and pg instrumentations. The instrumentations patch `http.Server` and `pg`'s client as
 * those modules load, so call this before importing anything that loads `pg` (see
 * docs/ARCHITECTURE.md, Observability). Off, it registers nothing: the OpenTelemetry API stays a
 * no-op, no module is patched, and the SDK, exporter and instrumentations are not even loaded
 * (about 25 MB a process).
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const resource = new Resource({ 'service.name': options.serviceName });
  if (!options.endpoint) return tracingOff(resource);
  const [
    { OTLPTraceExporter },
    { registerInstrumentations },
    { HttpInstrumentation },
    { PgInstrumentation },
    { NodeTracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
      // Spans only under a traced operation: the dispatcher's LISTEN and 5 s drains would otherwise
      // each make a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  return {
    enabled: true,
    resource,
    spanProcessor,
    shutdown: async () => {
      unregister();
      await provider.shutdown();
    },
  };
}

export function tracingOff(resource = new Resource({})): Tracing {
  return { enabled: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => undefined };
}
