import { Migration } from '@mikro-orm/migrations';

/**
 * session_state.version moves on with every change that can end a session or change who it signs in as: a session
 * ended or moved, a user's account changed or deleted, a client's portal access changed or the client deleted.
 * Triggers move it, in the changing transaction, whoever writes (any instance, any code path, a hand-run SQL), so a
 * session checked at version N is known unchanged while the version is still N (server/auth/session-checks.ts).
 * Touching a session's last_seen_at does not move it.
 * NOTE: a migration that rebuilds one of these tables (SQLite's copy-and-rename ALTER) drops its triggers: create
 * them again there (server/auth/session-checks.test.ts fails if one is missing).
 */
export class Migration20261129190500_session_state extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `session_state` (`id` integer not null primary key, `version` integer not null);');
    this.addSql('insert into `session_state` (`id`, `version`) values (1, 0);');
    const bump = 'begin update `session_state` set `version` = `version` + 1 where `id` = 1; end;';
    this.addSql(`create trigger session_state_session_delete after delete on session ${bump}`);
    this.addSql(
      `create trigger session_state_session_update after update of token_hash, user_id, expires_at on session
        when old.token_hash is not new.token_hash or old.user_id is not new.user_id or old.expires_at is not new.expires_at
        ${bump}`,
    );
    this.addSql(`create trigger session_state_user_delete after delete on app_user ${bump}`);
    this.addSql(
      `create trigger session_state_user_update after update of email, name, role, active, client_id on app_user
        when old.email is not new.email or old.name is not new.name or old.role is not new.role
          or old.active is not new.active or old.client_id is not new.client_id
        ${bump}`,
    );
    this.addSql(`create trigger session_state_client_delete after delete on client ${bump}`);
    this.addSql(
      `create trigger session_state_client_update after update of login_allowed, deleted_at on client
        when old.login_allowed is not new.login_allowed or old.deleted_at is not new.deleted_at
        ${bump}`,
    );
  }

  override async down(): Promise<void> {
    for (const trigger of ['session_delete', 'session_update', 'user_delete', 'user_update', 'client_delete', 'client_update']) {
      this.addSql(`drop trigger if exists session_state_${trigger};`);
    }
    this.addSql('drop table if exists `session_state`;');
  }
}
