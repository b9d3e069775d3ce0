/**
 * The workflow interceptors bundled with the workflows (`workflowInterceptorModules`): a span per
 * workflow run, signal, query and activity schedule, continuing the trace of whoever started the
 * workflow. Part of every bundle, since the bundle is built before any process knows whether
 * tracing is on.
 */
export { interceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
