import sqlite3 from 'sqlite3';
import { timeMs } from '../report';

/**
 * The cheapest durable write SQLite can do here: one small insert, committed, on a file with the app's settings
 * (WAL, synchronous = NORMAL). Every save of the app pays at least this once. Answers each insert's milliseconds.
 */
export async function timeBareCommits(path: string, count: number): Promise<number[]> {
  const db = new sqlite3.Database(path);
  const exec = (sql: string) =>
    new Promise<void>((done, fail) => db.exec(sql, (error) => (error ? fail(error) : done())));
  const insert = (value: string) =>
    new Promise<void>((done, fail) =>
      db.run('insert into floor (at, value) values (?, ?)', [new Date().toISOString(), value], (error) =>
        error ? fail(error) : done(),
      ),
    );
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  await exec('create table if not exists floor (id integer primary key autoincrement, at text, value text)');
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await timeMs(() => insert(`row ${i}`)));
  await new Promise<void>((done) => db.close(() => done()));
  return samples;
}
