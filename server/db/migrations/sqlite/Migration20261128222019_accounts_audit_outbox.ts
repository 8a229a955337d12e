import { Migration } from '@mikro-orm/migrations';

export class Migration20261128222019_accounts_audit_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_entry\` (\`id\` integer not null primary key autoincrement, \`at\` datetime not null, \`type\` text check (\`type\` in ('signIn', 'signInFailed', 'signInThrottled', 'signOutEverywhere', 'userCreated', 'roleChanged', 'userDeactivated', 'userReactivated', 'passwordLinkIssued', 'passwordSet', 'portalAccessGranted', 'portalAccessRevoked')) not null, \`actor_id\` integer null, \`actor_name\` text null, \`user_id\` integer null, \`email\` text null, \`client_id\` integer null, \`address\` text null, \`changes\` json null);`);
    this.addSql(`create index \`audit_entry_at_index\` on \`audit_entry\` (\`at\`);`);
    this.addSql(`create index \`audit_entry_type_index\` on \`audit_entry\` (\`type\`);`);
    this.addSql(`create index \`audit_entry_user_id_index\` on \`audit_entry\` (\`user_id\`);`);

    this.addSql(`create table \`outbox_mail\` (\`id\` integer not null primary key autoincrement, \`recipient\` text not null, \`subject\` text not null, \`body\` text not null, \`status\` text check (\`status\` in ('pending', 'sent', 'failed')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`next_attempt_at\` datetime not null, \`client_id\` integer null, \`created_at\` datetime not null, \`sent_at\` datetime null);`);
    this.addSql(`create index \`outbox_mail_client_id_index\` on \`outbox_mail\` (\`client_id\`);`);
    this.addSql(`create index \`outbox_mail_status_next_attempt_at_index\` on \`outbox_mail\` (\`status\`, \`next_attempt_at\`);`);

    this.addSql(`create table \`password_token\` (\`id\` integer not null primary key autoincrement, \`token_hash\` text not null, \`user_id\` integer not null, \`purpose\` text check (\`purpose\` in ('invite', 'reset', 'portal')) not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`used_at\` datetime null, constraint \`password_token_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create unique index \`password_token_token_hash_unique\` on \`password_token\` (\`token_hash\`);`);
    this.addSql(`create index \`password_token_user_id_index\` on \`password_token\` (\`user_id\`);`);
  }

}
