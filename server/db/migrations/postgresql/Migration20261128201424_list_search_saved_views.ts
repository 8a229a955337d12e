import { Migration } from '@mikro-orm/migrations';
import { refreshSearchText } from '../../../clients/search-migration';

export class Migration20261128201424_list_search_saved_views extends Migration {

  override async up(): Promise<void> {
    // The search text now also holds tax numbers without separators (server/clients/search.ts).
    await refreshSearchText((sql, params) => this.execute(sql, params));

    this.addSql(`create table "saved_view" ("id" serial primary key, "owner_id" int not null, "name" varchar(100) not null, "shared" boolean not null default false, "settings" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "saved_view_shared_index" on "saved_view" ("shared");`);
    this.addSql(`alter table "saved_view" add constraint "saved_view_owner_id_name_unique" unique ("owner_id", "name");`);

    this.addSql(`alter table "saved_view" add constraint "saved_view_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`drop index "client_created_at_index";`);
    this.addSql(`drop index "client_deleted_at_index";`);
    this.addSql(`drop index "client_search_text_index";`);
    this.addSql(`drop index "client_sort_name_index";`);

    this.addSql(`create index "client_list_created_at" on "client" ("deleted_at", "created_at");`);
    this.addSql(`create index "client_list_name" on "client" ("deleted_at", "sort_name");`);
    this.addSql(`create index "client_list_status" on "client" ("deleted_at", "status");`);
    this.addSql(`create index client_list_email on client (deleted_at, (email is null), email);`);
    this.addSql(`create index client_list_company_name on client (deleted_at, (company_name is null), company_name);`);
    this.addSql(`create index client_list_country on client (deleted_at, (country is null), country);`);
    this.addSql(`drop index "client_category_id_index";`);
    this.addSql(`drop index "client_country_index";`);
    this.addSql(`drop index "client_subcategory_id_index";`);
    this.addSql(`create index "client_category_list" on "client" ("category_id", "deleted_at", "created_at");`);
    this.addSql(`create index "client_subcategory_list" on "client" ("subcategory_id", "deleted_at", "created_at");`);
    this.addSql(`create index "client_country_list" on "client" ("country", "deleted_at", "created_at");`);

    // Hand-written: the search index (server/clients/search.ts), which the ORM's schema diff skips. A side
    // table of the LIVE clients (a deleted client leaves it, a restored one comes back), filled by triggers: a
    // pg_trgm GIN index for substrings of 3+ characters, and the words (split on anything but letters and
    // digits, as SQLite's unicode61 does) for word prefixes of 1-2 characters.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create table client_search (client_id int primary key references client (id) on delete cascade, search_text text not null, words tsvector not null);`);
    this.addSql(`create index client_search_trgm on client_search using gin (search_text gin_trgm_ops);`);
    this.addSql(`create index client_search_words on client_search using gin (words);`);
    this.addSql(`create function client_search_words(text) returns tsvector language sql immutable as $$
      select to_tsvector('simple', regexp_replace($1, '[^[:alnum:]]+', ' ', 'g'))
    $$;`);
    this.addSql(`create function client_search_sync() returns trigger language plpgsql as $$
    begin
      if new.deleted_at is null then
        insert into client_search (client_id, search_text, words)
          values (new.id, new.search_text, client_search_words(new.search_text))
          on conflict (client_id) do update set search_text = excluded.search_text, words = excluded.words;
      else
        delete from client_search where client_id = new.id;
      end if;
      return null;
    end
    $$;`);
    this.addSql(`create trigger client_search_insert after insert on client for each row execute function client_search_sync();`);
    this.addSql(`create trigger client_search_update after update of search_text, deleted_at on client for each row when (old.search_text is distinct from new.search_text or old.deleted_at is distinct from new.deleted_at) execute function client_search_sync();`);
    this.addSql(`insert into client_search (client_id, search_text, words) select id, search_text, client_search_words(search_text) from client where deleted_at is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists client_search;`);
    this.addSql(`drop function if exists client_search_sync cascade;`);
    this.addSql(`drop function if exists client_search_words;`);
    this.addSql(`drop table if exists "saved_view" cascade;`);

    this.addSql(`drop index "client_category_list";`);
    this.addSql(`drop index "client_subcategory_list";`);
    this.addSql(`drop index "client_country_list";`);
    this.addSql(`create index "client_category_id_index" on "client" ("category_id");`);
    this.addSql(`create index "client_country_index" on "client" ("country");`);
    this.addSql(`create index "client_subcategory_id_index" on "client" ("subcategory_id");`);
    this.addSql(`drop index "client_list_created_at";`);
    this.addSql(`drop index "client_list_name";`);
    this.addSql(`drop index "client_list_status";`);
    this.addSql(`drop index "client_list_email";`);
    this.addSql(`drop index "client_list_company_name";`);
    this.addSql(`drop index "client_list_country";`);

    this.addSql(`create index "client_created_at_index" on "client" ("created_at");`);
    this.addSql(`create index "client_deleted_at_index" on "client" ("deleted_at");`);
    this.addSql(`create index "client_search_text_index" on "client" ("search_text");`);
    this.addSql(`create index "client_sort_name_index" on "client" ("sort_name");`);
  }

}
