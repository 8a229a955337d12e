/**
 * Live watchers in a process of their own (bench/lib/watchers.ts starts it): each opens a WebSocket with its own
 * session and subscribes to live.events, as a browser tab does, and only counts what arrives. Kept out of the
 * benchmark's process, which runs the app: on a small machine the watchers' work would otherwise be charged to
 * the server. Messages over IPC: it sends { ready } once every stream sent its head marker, and answers
 * "count" with { received, failed }.
 */
import { TrpcSocket } from '../../server/load/trpc-socket';
import { eventsOfFrame, isHead } from './frames';
import { inBatches } from './stats';

const url = process.env.WATCH_URL ?? '';
const cookies: string[] = JSON.parse(process.env.WATCH_COOKIES ?? '[]');
let received = 0;
let heads = 0;
let failed = 0;

const sockets = await inBatches(cookies.length, 50, async (index) => {
  const socket = await TrpcSocket.open(url, cookies[index] ?? '');
  socket.subscribe(
    'live.events',
    {},
    {
      onData: (frame) => {
        if (isHead(frame)) heads++;
        received += eventsOfFrame(frame).length;
      },
      onError: (frame) => {
        failed++;
        console.error('live.events failed:', frame.error?.json?.message);
      },
    },
  );
  return socket;
});
while (heads < sockets.length) await new Promise((resolve) => setTimeout(resolve, 20));
process.send?.({ ready: true });
process.on('message', (message) => {
  if (message === 'count') process.send?.({ received, failed });
  if (message === 'stop') void Promise.all(sockets.map((socket) => socket.close())).then(() => process.exit(0));
});
