import { Agent, request } from 'node:http';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
import type { AppRouter } from '../../server/app-router';
import { CSRF_HEADER } from '../../server/context';

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

/**
 * tRPC calls over plain node:http with keep-alive: the very requests `httpLink` sends (one call per request,
 * superjson on the wire), without the tRPC client and `fetch` around them. A throughput benchmark's clients share
 * the machine with the server; `fetch` costs about 2 ms of CPU per call here, more than the server's own work for a
 * cheap call, so with it the bench would mostly measure its own client.
 */
export function leanTrpc(url: string, cookie: string) {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true });
  const headers = { cookie, [CSRF_HEADER]: '1', 'content-type': 'application/json' };

  const call = (method: 'GET' | 'POST', path: string, body?: string) =>
    new Promise<unknown>((resolve, reject) => {
      const req = request({ hostname, port, path: `/trpc/${path}`, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (answer.error) reject(new Error(`${path}: ${res.statusCode} ${JSON.stringify(answer.error.json)}`));
            else resolve(superjson.deserialize(answer.result.data));
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  return {
    me: () => call('GET', 'auth.me') as Promise<Outputs['auth']['me']>,
    updateClient: (input: Inputs['clients']['update']) =>
      call('POST', 'clients.update', JSON.stringify(superjson.serialize(input))) as Promise<
        Outputs['clients']['update']
      >,
    /** Closes its kept-alive sockets. */
    close: () => agent.destroy(),
  };
}

export type LeanTrpc = ReturnType<typeof leanTrpc>;
