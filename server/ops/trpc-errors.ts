import type { TRPCError } from '@trpc/server';
import type { Logger } from './log';

/**
 * tRPC's onError for both transports: a failure of ours (INTERNAL_SERVER_ERROR) is logged as an error with its
 * cause and stack; a refusal (bad input, no permission, wrong password…) as one info line with its code. Neither
 * logs the call's input or the error's message, which may repeat what was typed (a password, a token).
 */
export function trpcErrorLogger(logger: Logger) {
  return ({
    error,
    path,
    type,
    ctx,
  }: {
    error: TRPCError;
    path: string | undefined;
    type: string;
    ctx?: { transport: 'http' | 'ws'; user: { id: number } | null } | undefined;
  }): void => {
    const line = {
      procedure: path ?? '?',
      type,
      code: error.code,
      ...(ctx ? { transport: ctx.transport } : {}),
      // Over HTTP the request's scope names the user already; a WebSocket call runs outside any request.
      ...(ctx?.transport === 'ws' && ctx.user ? { userId: ctx.user.id } : {}),
    };
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ ...line, err: error.cause ?? error }, `tRPC ${path ?? '?'} failed`);
    } else {
      logger.info(line, `tRPC ${path ?? '?'} refused: ${error.code}`);
    }
  };
}
