import { Migration } from '@mikro-orm/migrations';

/**
 * Single sign-on (issue 9). A user signed in through OpenID Connect is known by the provider's
 * issuer and subject, which never change, unlike an email. Someone created by a sign-on has no
 * password, so `password_hash` may be null (password sign-in then refuses them like a wrong password).
 */
export class Migration20261221000000_user_oidc_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users alter column password_hash drop not null`);
    this.addSql(`alter table users add column oidc_issuer text null, add column oidc_subject text null`);
    this.addSql(
      `alter table users add constraint users_oidc_identity_pair check ((oidc_issuer is null) = (oidc_subject is null))`,
    );
    this.addSql(`create unique index users_oidc_identity_key on users (oidc_issuer, oidc_subject)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists users_oidc_identity_key`);
    this.addSql(`alter table users drop constraint if exists users_oidc_identity_pair`);
    this.addSql(`alter table users drop column if exists oidc_subject, drop column if exists oidc_issuer`);
    // An empty hash matches no password: users made by a sign-on stay unable to sign in with one.
    this.addSql(`update users set password_hash = '' where password_hash is null`);
    this.addSql(`alter table users alter column password_hash set not null`);
  }
}
