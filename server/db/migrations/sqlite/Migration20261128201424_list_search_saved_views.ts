import { Migration } from '@mikro-orm/migrations';
import { refreshSearchText } from '../../../clients/search-migration';

export class Migration20261128201424_list_search_saved_views extends Migration {

  override async up(): Promise<void> {
    // The search text now also holds tax numbers without separators (server/clients/search.ts).
    await refreshSearchText((sql, params) => this.execute(sql, params));

    this.addSql(`create table \`saved_view\` (\`id\` integer not null primary key autoincrement, \`owner_id\` integer not null, \`name\` text not null, \`shared\` integer not null default false, \`settings\` json not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`saved_view_owner_id_foreign\` foreign key(\`owner_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`saved_view_owner_id_index\` on \`saved_view\` (\`owner_id\`);`);
    this.addSql(`create index \`saved_view_shared_index\` on \`saved_view\` (\`shared\`);`);
    this.addSql(`create unique index \`saved_view_owner_id_name_unique\` on \`saved_view\` (\`owner_id\`, \`name\`);`);

    this.addSql(`drop index \`client_deleted_at_index\`;`);
    this.addSql(`drop index \`client_created_at_index\`;`);
    this.addSql(`drop index \`client_sort_name_index\`;`);
    this.addSql(`drop index \`client_search_text_index\`;`);

    this.addSql(`create index \`client_list_created_at\` on \`client\` (\`deleted_at\`, \`created_at\`);`);
    this.addSql(`create index \`client_list_name\` on \`client\` (\`deleted_at\`, \`sort_name\`);`);
    this.addSql(`create index \`client_list_status\` on \`client\` (\`deleted_at\`, \`status\`);`);
    this.addSql(`create index client_list_email on client (deleted_at, (email is null), email);`);
    this.addSql(`create index client_list_company_name on client (deleted_at, (company_name is null), company_name);`);
    this.addSql(`create index client_list_country on client (deleted_at, (country is null), country);`);
    this.addSql(`drop index \`client_country_index\`;`);
    this.addSql(`create index \`client_category_list\` on \`client\` (\`category_id\`, \`deleted_at\`, \`created_at\`);`);
    this.addSql(`create index \`client_subcategory_list\` on \`client\` (\`subcategory_id\`, \`deleted_at\`, \`created_at\`);`);
    this.addSql(`create index \`client_country_list\` on \`client\` (\`country\`, \`deleted_at\`, \`created_at\`);`);

    // Hand-written: the search index (server/clients/search.ts), which the ORM's schema diff skips.
    // client_search: substrings of 3+ characters (trigram); client_words: word prefixes of 1-2 characters.
    // Both are external-content FTS5 tables over client.search_text holding the LIVE clients only (a deleted
    // client leaves them, a restored one comes back), kept in sync by the triggers below.
    // NOTE: a migration that rebuilds the client table (SQLite's copy-and-rename ALTER) drops these triggers:
    // recreate them after it (the search tests fail if they are missing).
    this.addSql(`create virtual table client_search using fts5(search_text, content='client', content_rowid='id', tokenize='trigram');`);
    this.addSql(`create virtual table client_words using fts5(search_text, content='client', content_rowid='id', tokenize='unicode61', prefix='1 2', detail='none');`);
    this.addSql(`create trigger client_search_insert after insert on client when new.deleted_at is null begin
      insert into client_search (rowid, search_text) values (new.id, new.search_text);
      insert into client_words (rowid, search_text) values (new.id, new.search_text);
    end;`);
    // One trigger, so the old text always leaves the index before the new one enters.
    this.addSql(`create trigger client_search_update after update of search_text, deleted_at on client
      when old.search_text is not new.search_text or old.deleted_at is not new.deleted_at begin
      insert into client_search (client_search, rowid, search_text) select 'delete', old.id, old.search_text where old.deleted_at is null;
      insert into client_words (client_words, rowid, search_text) select 'delete', old.id, old.search_text where old.deleted_at is null;
      insert into client_search (rowid, search_text) select new.id, new.search_text where new.deleted_at is null;
      insert into client_words (rowid, search_text) select new.id, new.search_text where new.deleted_at is null;
    end;`);
    this.addSql(`create trigger client_search_delete after delete on client when old.deleted_at is null begin
      insert into client_search (client_search, rowid, search_text) values ('delete', old.id, old.search_text);
      insert into client_words (client_words, rowid, search_text) values ('delete', old.id, old.search_text);
    end;`);
    this.addSql(`insert into client_search (rowid, search_text) select id, search_text from client where deleted_at is null;`);
    this.addSql(`insert into client_words (rowid, search_text) select id, search_text from client where deleted_at is null;`);
  }

}
