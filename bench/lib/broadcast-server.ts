/**
 * The physical floor for live fan-out, run as its own process like the app: a bare `ws` server that, on
 * `POST /broadcast?bytes=N`, inserts one row into a SQLite file and commits (the one write any save needs), then
 * sends one message of N bytes to every connected socket. No framework, no per-subscriber work.
 * Started by bench/lib/fleet.ts; prints "listening <port>" when ready. SQLITE_PATH names the database file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sqlite3 from 'sqlite3';
import { WebSocketServer } from 'ws';

const db = new sqlite3.Database(process.env.SQLITE_PATH ?? ':memory:');
const exec = (sql: string) =>
  new Promise<void>((done, fail) => db.exec(sql, (error) => (error ? fail(error) : done())));
// The same settings as the app's SQLite connection (mikro-orm.config.ts).
await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
await exec('create table if not exists event (seq integer primary key autoincrement, at text, payload text)');

let seq = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'POST' || url.pathname !== '/broadcast') {
    res.writeHead(404).end();
    return;
  }
  const bytes = Number(url.searchParams.get('bytes') ?? 200);
  seq++;
  const at = new Date().toISOString();
  db.run('insert into event (at, payload) values (?, ?)', [at, String(seq)], (error) => {
    if (error) {
      res.writeHead(500).end(String(error));
      return;
    }
    const head = `{"seq":${seq},"at":"${at}","pad":"`;
    const message = `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
    for (const client of wss.clients) client.send(message);
    res.writeHead(204).end();
  });
});
const wss = new WebSocketServer({ server, path: '/ws' });
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
