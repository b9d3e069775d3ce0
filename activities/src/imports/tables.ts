/**
 * Per-job working tables. They are UNLOGGED (fast to fill, nothing in WAL) because they can always
 * be rebuilt from the uploaded file; a PostgreSQL crash empties them, which plan and apply detect.
 * Job ids are UUIDs checked at the API edge, so the names are safe identifiers.
 */
export function importTables(jobId: string) {
  const suffix = jobId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(suffix)) throw new Error(`not a job id: ${jobId}`);
  return { staged: `import_staged_${suffix}`, final: `import_final_${suffix}` };
}
