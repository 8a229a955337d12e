import { Migration } from '@mikro-orm/migrations';

export class Migration20261128222019_accounts_audit_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_entry" ("id" serial primary key, "at" timestamptz not null, "type" text check ("type" in ('signIn', 'signInFailed', 'signInThrottled', 'signOutEverywhere', 'userCreated', 'roleChanged', 'userDeactivated', 'userReactivated', 'passwordLinkIssued', 'passwordSet', 'portalAccessGranted', 'portalAccessRevoked')) not null, "actor_id" int null, "actor_name" varchar(200) null, "user_id" int null, "email" varchar(254) null, "client_id" int null, "address" varchar(64) null, "changes" jsonb null);`);
    this.addSql(`create index "audit_entry_at_index" on "audit_entry" ("at");`);
    this.addSql(`create index "audit_entry_type_index" on "audit_entry" ("type");`);
    this.addSql(`create index "audit_entry_user_id_index" on "audit_entry" ("user_id");`);

    this.addSql(`create table "outbox_mail" ("id" serial primary key, "recipient" varchar(254) not null, "subject" varchar(300) not null, "body" text not null, "status" text check ("status" in ('pending', 'sent', 'failed')) not null default 'pending', "attempts" int not null default 0, "last_error" text null, "next_attempt_at" timestamptz not null, "client_id" int null, "created_at" timestamptz not null, "sent_at" timestamptz null);`);
    this.addSql(`create index "outbox_mail_client_id_index" on "outbox_mail" ("client_id");`);
    this.addSql(`create index "outbox_mail_status_next_attempt_at_index" on "outbox_mail" ("status", "next_attempt_at");`);

    this.addSql(`create table "password_token" ("id" serial primary key, "token_hash" varchar(64) not null, "user_id" int not null, "purpose" text check ("purpose" in ('invite', 'reset', 'portal')) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null);`);
    this.addSql(`alter table "password_token" add constraint "password_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "password_token_user_id_index" on "password_token" ("user_id");`);

    this.addSql(`alter table "password_token" add constraint "password_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_entry" cascade;`);

    this.addSql(`drop table if exists "outbox_mail" cascade;`);

    this.addSql(`drop table if exists "password_token" cascade;`);
  }

}
