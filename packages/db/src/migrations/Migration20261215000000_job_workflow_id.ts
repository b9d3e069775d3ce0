import { Migration } from '@mikro-orm/migrations';

/**
 * A job's workflow id now carries its kind (`import-<id>`, `delete-all-<id>`), so operators tell
 * jobs apart in the Temporal UI. Every place that addresses a job's workflow reads the id stored
 * here; jobs accepted before keep their bare id, the one their workflows were started with.
 */
export class Migration20261215000000_job_workflow_id extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table jobs add column workflow_id text null`);
    this.addSql(`update jobs set workflow_id = id::text`);
    this.addSql(`alter table jobs alter column workflow_id set not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table jobs drop column workflow_id`);
  }
}
