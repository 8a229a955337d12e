import { accessSync, constants, mkdirSync } from 'node:fs';
import { startApp } from './app';
import { configFromEnv } from './config';

/** The SQLite data directory once known, so a start that fails on the disk can name it. */
let sqliteDataDir: string | null = null;

async function main(): Promise<void> {
  const config = configFromEnv();
  if (!config.database.databaseUrl) {
    sqliteDataDir = config.dataDir;
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  }
  const app = await startApp(config);
  console.log(
    `Kartoteka is running at ${app.url} (${config.database.databaseUrl ? 'PostgreSQL' : `SQLite ${config.database.sqlitePath}`})`,
  );
  if (app.firstAdmin) {
    console.log(
      app.firstAdmin.generatedPassword
        ? `First administrator: ${app.firstAdmin.email} with password ${app.firstAdmin.generatedPassword} (shown only this once).`
        : `First administrator: ${app.firstAdmin.email} (password from ADMIN_PASSWORD).`,
    );
  }
  const stop = (signal: string) => {
    console.log(`${signal}: shutting down…`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** What a failed start means for the data directory, in words, when the cause is the disk or its permissions. */
function dataDirProblem(error: unknown, dataDir: string): string | null {
  const { code, message } = error as { code?: string; message?: string };
  const text = `${code ?? ''} ${message ?? ''}`;
  if (/EROFS|EACCES|EPERM|SQLITE_READONLY|SQLITE_CANTOPEN/.test(text)) {
    return `the data directory ${dataDir} is not writable (${code ?? 'read-only'}). Set DATA_DIR to a folder Kartoteka may write to.`;
  }
  if (/ENOSPC|SQLITE_FULL|EDQUOT/.test(text)) {
    return `the disk holding the data directory ${dataDir} is full. Free some space, or set DATA_DIR to a folder on another disk.`;
  }
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return `the data directory ${dataDir} is not a folder. Set DATA_DIR to a folder Kartoteka may write to.`;
  }
  if (code === 'ENOENT' && /mkdir/.test(text)) {
    return `the data directory ${dataDir} could not be created. Set DATA_DIR to a folder Kartoteka may write to.`;
  }
  return null;
}

main().catch((error: unknown) => {
  // One clear line, not a stack trace: start-up errors are about settings people can fix.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Kartoteka could not start: ${(sqliteDataDir && dataDirProblem(error, sqliteDataDir)) || message}`);
  process.exit(1);
});
