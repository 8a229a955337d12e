import type { ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

interface Props {
  isOpen: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  isPending?: boolean;
  tone?: 'danger' | 'primary';
}

export function ConfirmDialog({ isOpen, title, children, confirmLabel, onConfirm, onCancel, isPending, tone }: Props) {
  const { t } = useTranslation();
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={isOpen}
      isDismissable
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          {children}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onCancel}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className={tone === 'primary' ? 'btn btn-primary' : 'btn btn-danger'}
              onClick={onConfirm}
              disabled={isPending}
            >
              {confirmLabel}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
