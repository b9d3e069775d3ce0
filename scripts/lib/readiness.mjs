import { waitUntil } from './ports.mjs';

/** Polls /health/ready until 200; on timeout the error carries the last answer, which names what is down. */
export async function waitForReady(url, { isAlive, timeoutMs = 180_000 }) {
  let lastAnswer = 'no answer';
  try {
    await waitUntil(
      `the api (${url})`,
      async () => {
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        lastAnswer = `${response.status} ${(await response.text()).slice(0, 300)}`;
        return response.status === 200;
      },
      { isAlive, timeoutMs, intervalMs: 500 },
    );
  } catch (error) {
    throw new Error(`${error.message}; last answer: ${lastAnswer}`);
  }
}
