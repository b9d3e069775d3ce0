export { temporalClientInterceptors, temporalWorkerTracing } from './temporal';
export { startTracing, type Tracing, type TracingOptions, tracingOff } from './tracing';
