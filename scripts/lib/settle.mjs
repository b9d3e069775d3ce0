/**
 * Like Promise.all, but waits for every task to finish before failing, so whatever did start has
 * registered its cleanup by the time the first error is reported.
 */
export async function settleAll(tasks) {
  const results = await Promise.allSettled(tasks);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => result.value);
}
