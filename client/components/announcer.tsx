import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A button on a toast, such as "Undo"; using it dismisses the toast. */
export interface ToastAction {
  label: string;
  run: () => void;
}

interface Toast {
  id: number;
  text: string;
  tone: 'success' | 'error' | 'info';
  action?: ToastAction;
}

type Announce = (text: string, tone?: Toast['tone'], action?: ToastAction) => void;

const AnnounceContext = createContext<Announce>(() => {});

const SHOWN_MS = 5000;
// Long enough to read the toast and reach its button.
const SHOWN_WITH_ACTION_MS = 12_000;

/** One polite aria-live region for the whole app, shown as toasts. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);

  const announce = useCallback<Announce>(
    (text, tone = 'success', action) => {
      const id = nextId.current++;
      setToasts((current) => [...current.slice(-3), { id, text, tone, action }]);
      window.setTimeout(() => dismiss(id), action ? SHOWN_WITH_ACTION_MS : SHOWN_MS);
    },
    [dismiss],
  );

  const value = useMemo(() => announce, [announce]);

  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite" aria-atomic="false">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            {toast.text}
            {toast.action ? (
              <span className="toast-actions">
                <button
                  type="button"
                  className="toast-button"
                  onClick={() => {
                    dismiss(toast.id);
                    toast.action?.run();
                  }}
                >
                  {toast.action.label}
                </button>
                <button type="button" className="toast-button" onClick={() => dismiss(toast.id)}>
                  {t('ui.dismiss')}
                </button>
              </span>
            ) : null}
          </div>
        ))}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}
