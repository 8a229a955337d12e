import { useEffect, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCan } from '../lib/session';

/** Keys typed into a field, or meant for an open dialog, are never shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
  return false;
}

function listRows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('main [role="grid"] tbody [role="row"]')];
}

/** Moves focus to the next (1) or previous (-1) row of the list; Enter on a focused row opens it. */
function moveInList(step: 1 | -1): boolean {
  const rows = listRows();
  if (rows.length === 0) return false;
  const current = rows.findIndex((row) => row.contains(document.activeElement));
  const next =
    current === -1 ? (step === 1 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, current + step));
  rows[next]?.focus();
  rows[next]?.scrollIntoView({ block: 'nearest' });
  return true;
}

function searchBox(): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>('main input[type="search"]');
}

/**
 * "/" search, "n" new client, "j"/"k" move in the list, "?" this list. Listened for in the capture phase so the
 * list's type-to-select does not take "j" and "k" first.
 */
export function KeyboardShortcuts() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useCan();
  const mayCreate = can('clients.write');
  const [helpOpen, setHelpOpen] = useState(false);
  const [focusSearchSoon, setFocusSearchSoon] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('.modal-overlay')) return;
      let handled = true;
      if (event.key === '/') {
        const box = searchBox();
        if (box) box.focus();
        else {
          navigate('/clients');
          setFocusSearchSoon(true);
        }
      } else if (event.key === 'n' && mayCreate) navigate('/clients/new');
      else if (event.key === 'j') handled = moveInList(1);
      else if (event.key === 'k') handled = moveInList(-1);
      else if (event.key === '?') setHelpOpen(true);
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [navigate, mayCreate]);

  // After "/" took us to the list, focus its search box once it is drawn.
  useEffect(() => {
    if (!focusSearchSoon) return;
    const timer = window.setInterval(() => {
      const box = searchBox();
      if (!box) return;
      box.focus();
      setFocusSearchSoon(false);
    }, 50);
    return () => window.clearInterval(timer);
  }, [focusSearchSoon]);

  const keys: [string[], string][] = [
    [['/'], t('shortcuts.search')],
    ...(mayCreate ? ([[['n'], t('shortcuts.newClient')]] as [string[], string][]) : []),
    [['j'], t('shortcuts.next')],
    [['k'], t('shortcuts.previous')],
    [['Enter'], t('shortcuts.openRow')],
    [['?'], t('shortcuts.help')],
  ];

  return (
    <>
      <button
        type="button"
        className="btn btn-ghost shortcuts-button"
        aria-label={t('shortcuts.open')}
        title={t('shortcuts.open')}
        onClick={() => setHelpOpen(true)}
      >
        <span aria-hidden="true">?</span>
      </button>
      <ModalOverlay className="modal-overlay" isOpen={helpOpen} onOpenChange={setHelpOpen} isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => (
              <>
                <Heading slot="title" className="dialog-title">
                  {t('shortcuts.title')}
                </Heading>
                <p className="dialog-hint">{t('shortcuts.hint')}</p>
                <dl className="shortcut-list">
                  {keys.map(([combo, text]) => (
                    <div key={combo.join('+')}>
                      <dt>
                        {combo.map((key) => (
                          <kbd key={key}>{key}</kbd>
                        ))}
                      </dt>
                      <dd>{text}</dd>
                    </div>
                  ))}
                </dl>
                <div className="dialog-actions">
                  <button type="button" className="btn" onClick={close}>
                    {t('shortcuts.close')}
                  </button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  );
}
