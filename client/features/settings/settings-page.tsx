import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import type { Permission } from '../../../shared/permissions';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useCategories, useContractTypes, useSubcategories } from '../../lib/lookups';
import { useCan } from '../../lib/session';
import { fieldErrorsOf, queryClient, trpc } from '../../lib/trpc';

interface Item {
  id: number;
  name: string;
}

function messageOf(error: unknown): string {
  const fieldErrors = fieldErrorsOf(error);
  if (fieldErrors) return Object.values(fieldErrors).flat().join(' ');
  return error instanceof Error ? error.message : String(error);
}

function refreshLookups() {
  void queryClient.invalidateQueries({ queryKey: trpc.lookups.pathKey() });
}

/** A labelled text box with an "Add" button; reports errors next to it. */
function AddForm({ label, onAdd }: { label: string; onAdd: (name: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError(t('settings.nameRequired'));
      return;
    }
    setPending(true);
    try {
      await onAdd(name.trim());
      setName('');
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setPending(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {t('common.add')}
      </button>
    </form>
  );
}

/** One entry with rename and delete. */
function EntryRow({
  item,
  onRename,
  onDelete,
  children,
}: {
  item: Item;
  onRename: (name: string) => Promise<unknown>;
  onDelete: () => Promise<unknown>;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(item.name);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [pending, setPending] = useState(false);

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError(t('settings.nameRequired'));
      return;
    }
    setPending(true);
    try {
      await onRename(name.trim());
      announce(t('settings.renamed', { name: name.trim() }));
      setEditing(false);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setPending(false);
    }
  };

  const remove = async () => {
    setPending(true);
    try {
      await onDelete();
      announce(t('settings.deleted', { name: item.name }));
      setConfirm(false);
    } catch (caught) {
      setConfirm(false);
      setError(messageOf(caught));
    } finally {
      setPending(false);
    }
  };

  return (
    <li className="entry">
      <div className="entry-row">
        {editing ? (
          <form className="inline-form" onSubmit={rename} noValidate>
            <div className="field">
              <label htmlFor={id}>{t('settings.newName', { name: item.name })}</label>
              <input
                id={id}
                value={name}
                onChange={(event) => setName(event.target.value)}
                aria-invalid={error ? true : undefined}
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {t('common.save')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setEditing(false);
                setName(item.name);
                setError(null);
              }}
            >
              {t('common.cancel')}
            </button>
          </form>
        ) : (
          <>
            <span className="entry-name">{item.name}</span>
            <span className="spacer" />
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('settings.renameItem', { name: item.name })}
              onClick={() => {
                setName(item.name);
                setEditing(true);
              }}
            >
              {t('common.rename')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-danger"
              aria-label={t('settings.deleteItem', { name: item.name })}
              onClick={() => setConfirm(true)}
            >
              {t('common.delete')}
            </button>
          </>
        )}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {children}
      <ConfirmDialog
        isOpen={confirm}
        title={t('settings.confirmDeleteTitle', { name: item.name })}
        confirmLabel={t('common.delete')}
        isPending={pending}
        onCancel={() => setConfirm(false)}
        onConfirm={() => void remove()}
      >
        <p>{t('settings.confirmDeleteBody')}</p>
      </ConfirmDialog>
    </li>
  );
}

function CategoriesSection() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const categories = useCategories();
  const subcategories = useSubcategories(undefined);
  const create = useMutation(trpc.lookups.createCategory.mutationOptions({ onSuccess: refreshLookups }));
  const rename = useMutation(trpc.lookups.renameCategory.mutationOptions({ onSuccess: refreshLookups }));
  const remove = useMutation(trpc.lookups.deleteCategory.mutationOptions({ onSuccess: refreshLookups }));
  const createSub = useMutation(trpc.lookups.createSubcategory.mutationOptions({ onSuccess: refreshLookups }));
  const renameSub = useMutation(trpc.lookups.renameSubcategory.mutationOptions({ onSuccess: refreshLookups }));
  const removeSub = useMutation(trpc.lookups.deleteSubcategory.mutationOptions({ onSuccess: refreshLookups }));
  const headingId = useId();

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('settings.categories')}</h2>
      <AddForm
        label={t('settings.newCategory')}
        onAdd={async (name) => {
          await create.mutateAsync({ name });
          announce(t('settings.added', { name }));
        }}
      />
      {categories.data?.length === 0 ? <p className="empty">{t('settings.noCategories')}</p> : null}
      <ul className="entries">
        {(categories.data ?? []).map((category) => {
          const subs = (subcategories.data ?? []).filter((sub) => sub.categoryId === category.id);
          return (
            <EntryRow
              key={category.id}
              item={category}
              onRename={(name) => rename.mutateAsync({ id: category.id, name })}
              onDelete={() => remove.mutateAsync({ id: category.id })}
            >
              <div className="subentries">
                <h3 className="visually-hidden">{t('settings.subcategoriesOf', { name: category.name })}</h3>
                {subs.length === 0 ? <p className="empty-small">{t('settings.noSubcategories')}</p> : null}
                <ul className="entries">
                  {subs.map((sub) => (
                    <EntryRow
                      key={sub.id}
                      item={sub}
                      onRename={(name) => renameSub.mutateAsync({ id: sub.id, name })}
                      onDelete={() => removeSub.mutateAsync({ id: sub.id })}
                    />
                  ))}
                </ul>
                <AddForm
                  label={t('settings.newSubcategory', { name: category.name })}
                  onAdd={async (name) => {
                    await createSub.mutateAsync({ categoryId: category.id, name });
                    announce(t('settings.added', { name }));
                  }}
                />
              </div>
            </EntryRow>
          );
        })}
      </ul>
    </section>
  );
}

function ContractTypesSection() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const types = useContractTypes();
  const create = useMutation(trpc.lookups.createContractType.mutationOptions({ onSuccess: refreshLookups }));
  const rename = useMutation(trpc.lookups.renameContractType.mutationOptions({ onSuccess: refreshLookups }));
  const remove = useMutation(trpc.lookups.deleteContractType.mutationOptions({ onSuccess: refreshLookups }));
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('settings.contractTypes')}</h2>
      <AddForm
        label={t('settings.newContractType')}
        onAdd={async (name) => {
          await create.mutateAsync({ name });
          announce(t('settings.added', { name }));
        }}
      />
      {types.data?.length === 0 ? <p className="empty">{t('settings.noContractTypes')}</p> : null}
      <ul className="entries">
        {(types.data ?? []).map((type) => (
          <EntryRow
            key={type.id}
            item={type}
            onRename={(name) => rename.mutateAsync({ id: type.id, name })}
            onDelete={() => remove.mutateAsync({ id: type.id })}
          />
        ))}
      </ul>
    </section>
  );
}

/** The lookup lists: the first section of Settings. */
export function SettingsPage() {
  return (
    <div className="settings-grid">
      <CategoriesSection />
      <ContractTypesSection />
    </div>
  );
}

const SECTIONS: { path: string; labelKey: string; permission: Permission }[] = [
  { path: '/settings', labelKey: 'adminNav.lookups', permission: 'lookups.write' },
  { path: '/settings/users', labelKey: 'adminNav.users', permission: 'users.manage' },
  { path: '/settings/audit', labelKey: 'adminNav.audit', permission: 'audit.read' },
  { path: '/settings/outbox', labelKey: 'adminNav.outbox', permission: 'mail.read' },
];

/** Settings: the sections the role may open (lookups, users, audit log, outbox) above the open one. */
export function SettingsLayout() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('settings.title')}</h1>
      </div>
      <nav className="settings-nav" aria-label={t('adminNav.label')}>
        {SECTIONS.filter((section) => can(section.permission)).map((section) => (
          <NavLink key={section.path} to={section.path} end>
            {t(section.labelKey)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
