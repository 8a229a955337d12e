/**
 * Live watchers in a process of their own (bench/lib/watchers.ts starts it): each opens a WebSocket with its own
 * session and subscribes to live.events, as a browser tab does, and only counts what arrives. Kept out of the
 * benchmark's process, which runs the app: on a small machine the watchers' work would otherwise be charged to
 * the server. Messages over IPC: it sends { ready } once every stream sent its head marker, and answers
 * "count" with { received, failed }.
 *
 * The frames are counted in their text, not parsed: parsing 200 copies of every batch took a whole core of this
 * small machine, which the server then lacked (a browser parses on its own machine). An event's JSON holds
 * `"kind":"event"` once, and no field value can (its quotes would be escaped).
 */
import { TrpcSocket } from '../../server/load/trpc-socket';
import { inBatches } from './stats';

const url = process.env.WATCH_URL ?? '';
const cookies: string[] = JSON.parse(process.env.WATCH_COOKIES ?? '[]');
let received = 0;
let heads = 0;
let failed = 0;

const EVENT = '"kind":"event"';
const ERROR = /^\{"id":\d+,(?:"jsonrpc":"2\.0",)?"error"/;

function count(text: string): void {
  if (ERROR.test(text)) {
    failed++;
    console.error('live.events failed:', text.slice(0, 300));
    return;
  }
  if (text.includes('"kind":"head"')) heads++;
  for (let at = text.indexOf(EVENT); at !== -1; at = text.indexOf(EVENT, at + EVENT.length)) received++;
}

const sockets = await inBatches(cookies.length, 50, async (index) => {
  const socket = await TrpcSocket.open(url, cookies[index] ?? '', { onText: count });
  socket.subscribe('live.events', {}, {});
  return socket;
});
while (heads < sockets.length) await new Promise((resolve) => setTimeout(resolve, 20));
process.send?.({ ready: true });
process.on('message', (message) => {
  if (message === 'count') process.send?.({ received, failed });
  if (message === 'stop') void Promise.all(sockets.map((socket) => socket.close())).then(() => process.exit(0));
});
