import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from './tracing';

type ActivityContext = ConstructorParameters<typeof OpenTelemetryActivityInboundInterceptor>[0];

/**
 * For `new Client({ interceptors })`: starting (signalling, querying…) a workflow makes a span and
 * passes its context to the workflow in the headers. Its spans go to the global tracer provider,
 * so `tracingOn` is whether this process started tracing.
 */
export function temporalClientInterceptors(tracingOn: boolean) {
  return tracingOn ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : {};
}

/**
 * For `Worker.create`: activity spans continue the workflow's trace, and the spans the workflow
 * interceptors (bundled with the workflows) make inside the sandbox leave it through the `exporter`
 * sink. The sink is registered even with tracing off, because the bundle always calls it; its
 * spans then end in a no-op processor.
 */
export function temporalWorkerTracing(tracing: Tracing) {
  return {
    interceptors: tracing.enabled
      ? {
          activity: [
            (ctx: ActivityContext) => ({
              inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
              outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
            }),
          ],
        }
      : {},
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
