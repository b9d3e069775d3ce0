/**
 * Teardown steps run last-in first-out, so whatever was started last (the api) stops first and
 * test databases are dropped before the server that holds them stops.
 */
export function createCleanup(log) {
  const steps = [];
  let running;
  return {
    defer(name, step) {
      steps.push({ name, step });
    },
    run() {
      running ??= (async () => {
        while (steps.length > 0) {
          const { name, step } = steps.pop();
          try {
            await step();
          } catch (error) {
            log.error(`cleanup of ${name} failed: ${error.message}`);
          }
        }
      })();
      return running;
    },
  };
}
