import { Migration } from '@mikro-orm/migrations';

export class Migration20261128152820_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`client_category\` (\`id\` integer not null primary key autoincrement, \`name\` text not null);`);
    this.addSql(`create unique index \`client_category_name_unique\` on \`client_category\` (\`name\`);`);

    this.addSql(`create table \`client_event\` (\`seq\` integer not null primary key autoincrement, \`client_id\` integer not null, \`type\` text not null, \`actor_id\` integer null, \`actor_name\` text not null, \`changes\` json not null, \`at\` datetime not null);`);
    this.addSql(`create index \`client_event_client_id_index\` on \`client_event\` (\`client_id\`);`);
    this.addSql(`create index \`client_event_type_index\` on \`client_event\` (\`type\`);`);

    this.addSql(`create table \`client_subcategory\` (\`id\` integer not null primary key autoincrement, \`category_id\` integer not null, \`name\` text not null, constraint \`client_subcategory_category_id_foreign\` foreign key(\`category_id\`) references \`client_category\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`client_subcategory_category_id_index\` on \`client_subcategory\` (\`category_id\`);`);
    this.addSql(`create unique index \`client_subcategory_category_id_name_unique\` on \`client_subcategory\` (\`category_id\`, \`name\`);`);

    this.addSql(`create table \`contract_type\` (\`id\` integer not null primary key autoincrement, \`name\` text not null);`);
    this.addSql(`create unique index \`contract_type_name_unique\` on \`contract_type\` (\`name\`);`);

    this.addSql(`create table \`app_user\` (\`id\` integer not null primary key autoincrement, \`email\` text not null, \`name\` text not null, \`role\` text check (\`role\` in ('admin', 'manager', 'agent', 'viewer', 'client')) not null, \`password_hash\` text not null, \`active\` integer not null default true, \`client_id\` integer null, \`created_at\` datetime not null, constraint \`app_user_client_id_foreign\` foreign key(\`client_id\`) references \`client\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create unique index \`app_user_email_unique\` on \`app_user\` (\`email\`);`);
    this.addSql(`create index \`app_user_client_id_index\` on \`app_user\` (\`client_id\`);`);

    this.addSql(`create table \`session\` (\`id\` integer not null primary key autoincrement, \`token_hash\` text not null, \`user_id\` integer not null, \`created_at\` datetime not null, \`last_seen_at\` datetime not null, \`expires_at\` datetime not null, constraint \`session_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create unique index \`session_token_hash_unique\` on \`session\` (\`token_hash\`);`);
    this.addSql(`create index \`session_user_id_index\` on \`session\` (\`user_id\`);`);

    this.addSql(`create table \`client\` (\`id\` integer not null primary key autoincrement, \`salutation\` text check (\`salutation\` in ('mr', 'mrs', 'miss', 'dr', 'sir', 'madam')) null, \`name\` text not null, \`email\` text null, \`country\` text null, \`mobile\` text null, \`gender\` text check (\`gender\` in ('male', 'female', 'other')) null, \`language\` text null, \`category_id\` integer null, \`subcategory_id\` integer null, \`status\` text check (\`status\` in ('active', 'inactive')) not null default 'active', \`company_name\` text null, \`website\` text null, \`tax_name\` text null, \`tax_number\` text null, \`office_phone\` text null, \`city\` text null, \`state\` text null, \`postal_code\` text null, \`company_address\` text null, \`shipping_address\` text null, \`electronic_address\` text null, \`electronic_address_scheme\` text null, \`login_allowed\` integer not null default false, \`email_notifications\` integer not null default true, \`photo_file_id\` integer null, \`logo_file_id\` integer null, \`search_text\` text not null, \`sort_name\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`added_by_id\` integer null, \`version\` integer not null default 1, \`deleted_at\` datetime null, constraint \`client_category_id_foreign\` foreign key(\`category_id\`) references \`client_category\`(\`id\`) on delete set null on update cascade, constraint \`client_subcategory_id_foreign\` foreign key(\`subcategory_id\`) references \`client_subcategory\`(\`id\`) on delete set null on update cascade, constraint \`client_added_by_id_foreign\` foreign key(\`added_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`client_email_index\` on \`client\` (\`email\`);`);
    this.addSql(`create index \`client_country_index\` on \`client\` (\`country\`);`);
    this.addSql(`create index \`client_category_id_index\` on \`client\` (\`category_id\`);`);
    this.addSql(`create index \`client_subcategory_id_index\` on \`client\` (\`subcategory_id\`);`);
    this.addSql(`create index \`client_status_index\` on \`client\` (\`status\`);`);
    this.addSql(`create index \`client_company_name_index\` on \`client\` (\`company_name\`);`);
    this.addSql(`create index \`client_tax_number_index\` on \`client\` (\`tax_number\`);`);
    this.addSql(`create index \`client_search_text_index\` on \`client\` (\`search_text\`);`);
    this.addSql(`create index \`client_sort_name_index\` on \`client\` (\`sort_name\`);`);
    this.addSql(`create index \`client_created_at_index\` on \`client\` (\`created_at\`);`);
    this.addSql(`create index \`client_added_by_id_index\` on \`client\` (\`added_by_id\`);`);
    this.addSql(`create index \`client_deleted_at_index\` on \`client\` (\`deleted_at\`);`);

    this.addSql(`create table \`stored_file\` (\`id\` integer not null primary key autoincrement, \`client_id\` integer not null, \`kind\` text check (\`kind\` in ('photo', 'logo', 'document')) not null, \`file_name\` text not null, \`mime_type\` text not null, \`size\` integer not null, \`data\` blob not null, \`thumbnail\` blob null, \`uploaded_by_id\` integer null, \`created_at\` datetime not null, constraint \`stored_file_client_id_foreign\` foreign key(\`client_id\`) references \`client\`(\`id\`) on update cascade, constraint \`stored_file_uploaded_by_id_foreign\` foreign key(\`uploaded_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`stored_file_client_id_index\` on \`stored_file\` (\`client_id\`);`);
    this.addSql(`create index \`stored_file_uploaded_by_id_index\` on \`stored_file\` (\`uploaded_by_id\`);`);

    this.addSql(`create table \`project\` (\`id\` integer not null primary key autoincrement, \`client_id\` integer not null, \`name\` text not null, \`created_at\` datetime not null, constraint \`project_client_id_foreign\` foreign key(\`client_id\`) references \`client\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`project_client_id_index\` on \`project\` (\`client_id\`);`);

    this.addSql(`create table \`note\` (\`id\` integer not null primary key autoincrement, \`client_id\` integer not null, \`author_id\` integer null, \`body\` text not null, \`visibility\` text check (\`visibility\` in ('public', 'private')) not null default 'private', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`deleted_at\` datetime null, constraint \`note_client_id_foreign\` foreign key(\`client_id\`) references \`client\`(\`id\`) on update cascade, constraint \`note_author_id_foreign\` foreign key(\`author_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`note_client_id_index\` on \`note\` (\`client_id\`);`);
    this.addSql(`create index \`note_author_id_index\` on \`note\` (\`author_id\`);`);

    this.addSql(`create table \`contract\` (\`id\` integer not null primary key autoincrement, \`client_id\` integer not null, \`type_id\` integer not null, \`subject\` text not null, \`created_at\` datetime not null, constraint \`contract_client_id_foreign\` foreign key(\`client_id\`) references \`client\`(\`id\`) on update cascade, constraint \`contract_type_id_foreign\` foreign key(\`type_id\`) references \`contract_type\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`contract_client_id_index\` on \`contract\` (\`client_id\`);`);
    this.addSql(`create index \`contract_type_id_index\` on \`contract\` (\`type_id\`);`);
  }

}
