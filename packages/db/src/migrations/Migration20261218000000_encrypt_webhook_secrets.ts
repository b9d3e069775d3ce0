import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook signing secrets are stored encrypted (`v1:<key id>:…`, issue 9). SQL does not know
 * SECRETS_KEY, so this migration cannot encrypt the rows it finds: the API and the worker seal every
 * plaintext secret at start, before they serve (reencryptWebhookSecrets, scope `plaintext`). What it
 * does is refuse any new plaintext: the check is NOT VALID, so rows written before it stay readable
 * until that first start, while every insert or update must leave both columns sealed.
 */
export class Migration20261218000000_encrypt_webhook_secrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table webhook_endpoints add constraint webhook_endpoints_secrets_sealed
        check (secret like 'v1:%' and (previous_secret is null or previous_secret like 'v1:%')) not valid`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table webhook_endpoints drop constraint if exists webhook_endpoints_secrets_sealed`);
  }
}
