import { Migration } from '@mikro-orm/migrations';

export class Migration20261128152820_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "client_category" ("id" serial primary key, "name" varchar(100) not null);`);
    this.addSql(`alter table "client_category" add constraint "client_category_name_unique" unique ("name");`);

    this.addSql(`create table "client_event" ("seq" serial primary key, "client_id" int not null, "type" varchar(40) not null, "actor_id" int null, "actor_name" varchar(200) not null, "changes" jsonb not null, "at" timestamptz not null);`);
    this.addSql(`create index "client_event_client_id_index" on "client_event" ("client_id");`);
    this.addSql(`create index "client_event_type_index" on "client_event" ("type");`);

    this.addSql(`create table "client_subcategory" ("id" serial primary key, "category_id" int not null, "name" varchar(100) not null);`);
    this.addSql(`create index "client_subcategory_category_id_index" on "client_subcategory" ("category_id");`);
    this.addSql(`alter table "client_subcategory" add constraint "client_subcategory_category_id_name_unique" unique ("category_id", "name");`);

    this.addSql(`create table "contract_type" ("id" serial primary key, "name" varchar(100) not null);`);
    this.addSql(`alter table "contract_type" add constraint "contract_type_name_unique" unique ("name");`);

    this.addSql(`create table "app_user" ("id" serial primary key, "email" varchar(254) not null, "name" varchar(200) not null, "role" text check ("role" in ('admin', 'manager', 'agent', 'viewer', 'client')) not null, "password_hash" varchar(255) not null, "active" boolean not null default true, "client_id" int null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`create index "app_user_client_id_index" on "app_user" ("client_id");`);

    this.addSql(`create table "session" ("id" serial primary key, "token_hash" varchar(64) not null, "user_id" int not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null);`);
    this.addSql(`alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);

    this.addSql(`create table "client" ("id" serial primary key, "salutation" text check ("salutation" in ('mr', 'mrs', 'miss', 'dr', 'sir', 'madam')) null, "name" varchar(200) not null, "email" varchar(254) null, "country" varchar(2) null, "mobile" varchar(40) null, "gender" text check ("gender" in ('male', 'female', 'other')) null, "language" varchar(8) null, "category_id" int null, "subcategory_id" int null, "status" text check ("status" in ('active', 'inactive')) not null default 'active', "company_name" varchar(200) null, "website" varchar(500) null, "tax_name" varchar(40) null, "tax_number" varchar(40) null, "office_phone" varchar(40) null, "city" varchar(120) null, "state" varchar(120) null, "postal_code" varchar(20) null, "company_address" text null, "shipping_address" text null, "electronic_address" varchar(200) null, "electronic_address_scheme" varchar(4) null, "login_allowed" boolean not null default false, "email_notifications" boolean not null default true, "photo_file_id" int null, "logo_file_id" int null, "search_text" text not null, "sort_name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "added_by_id" int null, "version" int not null default 1, "deleted_at" timestamptz null);`);
    this.addSql(`create index "client_email_index" on "client" ("email");`);
    this.addSql(`create index "client_country_index" on "client" ("country");`);
    this.addSql(`create index "client_category_id_index" on "client" ("category_id");`);
    this.addSql(`create index "client_subcategory_id_index" on "client" ("subcategory_id");`);
    this.addSql(`create index "client_status_index" on "client" ("status");`);
    this.addSql(`create index "client_company_name_index" on "client" ("company_name");`);
    this.addSql(`create index "client_tax_number_index" on "client" ("tax_number");`);
    this.addSql(`create index "client_search_text_index" on "client" ("search_text");`);
    this.addSql(`create index "client_sort_name_index" on "client" ("sort_name");`);
    this.addSql(`create index "client_created_at_index" on "client" ("created_at");`);
    this.addSql(`create index "client_deleted_at_index" on "client" ("deleted_at");`);

    this.addSql(`create table "stored_file" ("id" serial primary key, "client_id" int not null, "kind" text check ("kind" in ('photo', 'logo', 'document')) not null, "file_name" varchar(255) not null, "mime_type" varchar(100) not null, "size" int not null, "data" bytea not null, "thumbnail" bytea null, "uploaded_by_id" int null, "created_at" timestamptz not null);`);
    this.addSql(`create index "stored_file_client_id_index" on "stored_file" ("client_id");`);

    this.addSql(`create table "project" ("id" serial primary key, "client_id" int not null, "name" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "project_client_id_index" on "project" ("client_id");`);

    this.addSql(`create table "note" ("id" serial primary key, "client_id" int not null, "author_id" int null, "body" text not null, "visibility" text check ("visibility" in ('public', 'private')) not null default 'private', "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null);`);
    this.addSql(`create index "note_client_id_index" on "note" ("client_id");`);

    this.addSql(`create table "contract" ("id" serial primary key, "client_id" int not null, "type_id" int not null, "subject" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "contract_client_id_index" on "contract" ("client_id");`);
    this.addSql(`create index "contract_type_id_index" on "contract" ("type_id");`);

    this.addSql(`alter table "client_subcategory" add constraint "client_subcategory_category_id_foreign" foreign key ("category_id") references "client_category" ("id") on update cascade;`);

    this.addSql(`alter table "app_user" add constraint "app_user_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "client" add constraint "client_category_id_foreign" foreign key ("category_id") references "client_category" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "client" add constraint "client_subcategory_id_foreign" foreign key ("subcategory_id") references "client_subcategory" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "client" add constraint "client_added_by_id_foreign" foreign key ("added_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "stored_file" add constraint "stored_file_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade;`);
    this.addSql(`alter table "stored_file" add constraint "stored_file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "project" add constraint "project_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade;`);

    this.addSql(`alter table "note" add constraint "note_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade;`);
    this.addSql(`alter table "note" add constraint "note_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "contract" add constraint "contract_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade;`);
    this.addSql(`alter table "contract" add constraint "contract_type_id_foreign" foreign key ("type_id") references "contract_type" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "client_subcategory" drop constraint "client_subcategory_category_id_foreign";`);

    this.addSql(`alter table "client" drop constraint "client_category_id_foreign";`);

    this.addSql(`alter table "client" drop constraint "client_subcategory_id_foreign";`);

    this.addSql(`alter table "contract" drop constraint "contract_type_id_foreign";`);

    this.addSql(`alter table "session" drop constraint "session_user_id_foreign";`);

    this.addSql(`alter table "client" drop constraint "client_added_by_id_foreign";`);

    this.addSql(`alter table "stored_file" drop constraint "stored_file_uploaded_by_id_foreign";`);

    this.addSql(`alter table "note" drop constraint "note_author_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_client_id_foreign";`);

    this.addSql(`alter table "stored_file" drop constraint "stored_file_client_id_foreign";`);

    this.addSql(`alter table "project" drop constraint "project_client_id_foreign";`);

    this.addSql(`alter table "note" drop constraint "note_client_id_foreign";`);

    this.addSql(`alter table "contract" drop constraint "contract_client_id_foreign";`);

    this.addSql(`drop table if exists "client_category" cascade;`);

    this.addSql(`drop table if exists "client_event" cascade;`);

    this.addSql(`drop table if exists "client_subcategory" cascade;`);

    this.addSql(`drop table if exists "contract_type" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "session" cascade;`);

    this.addSql(`drop table if exists "client" cascade;`);

    this.addSql(`drop table if exists "stored_file" cascade;`);

    this.addSql(`drop table if exists "project" cascade;`);

    this.addSql(`drop table if exists "note" cascade;`);

    this.addSql(`drop table if exists "contract" cascade;`);
  }

}
