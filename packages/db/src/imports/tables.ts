/**
 * Per-job working tables. Staged and final are created UNLOGGED (fast to fill, nothing in WAL)
 * because they can always be rebuilt from the uploaded file; a PostgreSQL crash empties them, which
 * plan and apply detect. A reviewed import waits up to a day before it applies, so once its diff
 * (`review`, always logged) is computed both are made logged: apply never needs the file again.
 * Job ids are UUIDs checked at the API edge, so the names are safe identifiers.
 */
export function importTables(jobId: string) {
  const suffix = jobId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(suffix)) throw new Error(`not a job id: ${jobId}`);
  return { staged: `import_staged_${suffix}`, final: `import_final_${suffix}`, review: `import_review_${suffix}` };
}
