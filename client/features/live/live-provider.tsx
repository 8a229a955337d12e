import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryClient, trpc, wsClient } from '../../lib/trpc';
import { startLiveStream } from './live-stream';

export type Connection = 'live' | 'reconnecting' | 'offline';

interface LiveState {
  connection: Connection;
  /** True for a while after a reconnect, once the replay of what was missed is done. */
  caughtUp: boolean;
}

const LiveContext = createContext<LiveState>({ connection: 'offline', caughtUp: false });

const CAUGHT_UP_SHOWN_MS = 5_000;

/** Holds the tab's live stream while someone is signed in, and tracks the state of its connection. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [socket, setSocket] = useState<'open' | 'connecting' | 'failed'>('connecting');
  const [online, setOnline] = useState(() => navigator.onLine);
  const [caughtUp, setCaughtUp] = useState(false);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  useEffect(() => {
    let reconnecting = false;
    let caughtUpTimer: number | undefined;
    const connection = wsClient.connectionState.subscribe({
      next: (state) => {
        if (state.state === 'pending') setSocket('open');
        else if (state.state === 'connecting' && state.error) {
          reconnecting = true;
          setSocket('failed');
        } else setSocket('connecting');
      },
    });
    const stop = startLiveStream(queryClient, {
      onHead: () => {
        if (!reconnecting) return;
        reconnecting = false;
        setCaughtUp(true);
        window.clearTimeout(caughtUpTimer);
        caughtUpTimer = window.setTimeout(() => setCaughtUp(false), CAUGHT_UP_SHOWN_MS);
      },
      onUnauthorized: () => queryClient.setQueryData(trpc.auth.me.queryKey(), null),
    });
    return () => {
      window.clearTimeout(caughtUpTimer);
      stop();
      connection.unsubscribe();
    };
  }, []);

  const connection: Connection = !online ? 'offline' : socket === 'open' ? 'live' : 'reconnecting';
  return <LiveContext.Provider value={{ connection, caughtUp }}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

/**
 * The header's connection indicator; a polite live region so a drop and the catch-up are announced. Not a `status`
 * role: the app's toasts are the one status region, and pages and tests rely on that.
 */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const { connection, caughtUp } = useLiveState();
  return (
    <p className={`live-status live-status-${connection}`} aria-live="polite" aria-atomic="true">
      <span className="live-dot" aria-hidden="true" />
      {t(`live.${connection}`)}
      {connection === 'live' && caughtUp ? <span className="live-caught-up"> · {t('live.caughtUp')}</span> : null}
    </p>
  );
}
