import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STAFF_ROLES } from '../../../shared/enums';
import { localizePasswordMessage, passwordMessage, passwordShapeProblem } from '../../../shared/passwords';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { type HandedOverLink, LinkHandOver } from '../../components/link-hand-over';
import { formatDate } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { useUser } from '../../lib/session';
import { fieldErrorsOf, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';

type User = RouterOutputs['users']['list'][number];
type StaffRole = (typeof STAFF_ROLES)[number];

function refreshUsers() {
  return queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
}

function messageOf(error: unknown): string {
  const fields = fieldErrorsOf(error);
  if (fields) return Object.values(fields).flat().join(' ');
  return error instanceof Error ? error.message : String(error);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Add a staff member: name, e-mail, role, and a password now or a one-time link to set their own. */
function InviteForm({ onLink }: { onLink: (link: HandedOverLink, name: string) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const announce = useAnnounce();
  const prefix = useId();
  const create = useMutation(trpc.users.create.mutationOptions());
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
  const [byLink, setByLink] = useState(true);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = byLink ? null : passwordShapeProblem(password);
    const found: Record<string, string> = {
      ...(name.trim() ? {} : { name: t('users.nameRequired') }),
      ...(EMAIL.test(email.trim()) ? {} : { email: t('users.emailInvalid') }),
      ...(problem ? { password: passwordMessage(problem, locale) } : {}),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const created = await create.mutateAsync({
        name: name.trim(),
        email: email.trim(),
        role,
        ...(byLink ? {} : { password }),
      });
      announce(t('users.created', { name: created.name }));
      if (created.link) onLink(created.link, created.name);
      setName('');
      setEmail('');
      setPassword('');
      void refreshUsers();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setErrors(
        fields
          ? Object.fromEntries(
              Object.entries(fields).map(([field, texts]) => [
                field,
                texts.map((text) => localizePasswordMessage(text, locale)).join(' '),
              ]),
            )
          : { general: messageOf(error) },
      );
    }
  };

  const field = (key: 'name' | 'email' | 'password', label: string, input: React.ReactNode) => (
    <div className="field">
      <label htmlFor={`${prefix}-${key}`}>{label}</label>
      {input}
      {errors[key] ? (
        <p id={`${prefix}-${key}-error`} className="field-error" role="alert">
          {errors[key]}
        </p>
      ) : null}
    </div>
  );
  const invalid = (key: string) => ({
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `${prefix}-${key}-error` : undefined,
  });

  return (
    <form className="invite-form" onSubmit={(event) => void submit(event)} noValidate>
      {field(
        'name',
        t('users.name'),
        <input
          id={`${prefix}-name`}
          value={name}
          autoComplete="off"
          onChange={(event) => setName(event.target.value)}
          {...invalid('name')}
        />,
      )}
      {field(
        'email',
        t('users.email'),
        <input
          id={`${prefix}-email`}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          {...invalid('email')}
        />,
      )}
      <div className="field">
        <label htmlFor={`${prefix}-role`}>{t('users.role')}</label>
        <select id={`${prefix}-role`} value={role} onChange={(event) => setRole(event.target.value as StaffRole)}>
          {STAFF_ROLES.map((value) => (
            <option key={value} value={value}>
              {t(`roles.${value}`)}
            </option>
          ))}
        </select>
        {errors.role ? (
          <p className="field-error" role="alert">
            {errors.role}
          </p>
        ) : null}
      </div>
      <fieldset className="invite-access">
        <legend>{t('users.access')}</legend>
        <label className="check">
          <input type="radio" name={`${prefix}-access`} checked={byLink} onChange={() => setByLink(true)} />
          {t('users.byLink')}
        </label>
        <label className="check">
          <input type="radio" name={`${prefix}-access`} checked={!byLink} onChange={() => setByLink(false)} />
          {t('users.byPassword')}
        </label>
      </fieldset>
      {byLink
        ? null
        : field(
            'password',
            t('users.password'),
            <input
              id={`${prefix}-password`}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              {...invalid('password')}
            />,
          )}
      {errors.general ? (
        <p className="form-alert" role="alert">
          {errors.general}
        </p>
      ) : null}
      <div>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {t('users.create')}
        </button>
      </div>
    </form>
  );
}

/** One staff member: role, status, and the actions on the account. */
function UserRow({
  user,
  isMe,
  onLink,
  onProblem,
}: {
  user: User;
  isMe: boolean;
  onLink: (link: HandedOverLink, name: string) => void;
  /** What went wrong with the last action on the list (null: it worked). */
  onProblem: (message: string | null) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const announce = useAnnounce();
  const update = useMutation(trpc.users.update.mutationOptions());
  const reset = useMutation(trpc.users.resetPassword.mutationOptions());
  const [confirm, setConfirm] = useState(false);
  const roleId = useId();

  const change = async (input: { role?: StaffRole; active?: boolean }, done: string) => {
    try {
      await update.mutateAsync({ id: user.id, ...input });
      onProblem(null);
      announce(done);
    } catch (error) {
      onProblem(messageOf(error));
    } finally {
      setConfirm(false);
      void refreshUsers();
    }
  };

  return (
    <tr>
      <td>
        {user.name} {isMe ? <span className="sub">{t('users.you')}</span> : null}
      </td>
      <td>{user.email}</td>
      <td>
        <label htmlFor={roleId} className="visually-hidden">
          {t('users.roleOf', { name: user.name })}
        </label>
        <select
          id={roleId}
          value={user.role}
          disabled={update.isPending}
          onChange={(event) => {
            const role = event.target.value as StaffRole;
            void change({ role }, t('users.roleChanged', { name: user.name, role: t(`roles.${role}`) }));
          }}
        >
          {STAFF_ROLES.map((value) => (
            <option key={value} value={value}>
              {t(`roles.${value}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <span className={`badge ${user.active ? 'badge-active' : 'badge-inactive'}`}>
          {user.active ? t('users.active') : t('users.deactivated')}
        </span>
        {user.active && !user.passwordSet ? <span className="sub"> {t('users.waiting')}</span> : null}
        <div className="sub">{formatDate(user.createdAt, locale)}</div>
      </td>
      <td className="user-actions">
        {user.active ? (
          <button
            type="button"
            className="btn btn-small btn-danger"
            aria-label={t('users.deactivateLabel', { name: user.name })}
            onClick={() => setConfirm(true)}
          >
            {t('users.deactivate')}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            aria-label={t('users.reactivateLabel', { name: user.name })}
            disabled={update.isPending}
            onClick={() => void change({ active: true }, t('users.reactivated', { name: user.name }))}
          >
            {t('users.reactivate')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          aria-label={t('users.resetLabel', { name: user.name })}
          disabled={!user.active || reset.isPending}
          onClick={() =>
            reset.mutate(
              { id: user.id },
              {
                onSuccess: (link) => {
                  onProblem(null);
                  announce(t('users.resetDone', { name: user.name }));
                  onLink(link, user.name);
                },
                onError: (error) => onProblem(messageOf(error)),
              },
            )
          }
        >
          {t('users.reset')}
        </button>
        <ConfirmDialog
          isOpen={confirm}
          title={t('users.deactivateTitle', { name: user.name })}
          confirmLabel={t('users.deactivate')}
          isPending={update.isPending}
          onCancel={() => setConfirm(false)}
          onConfirm={() => void change({ active: false }, t('users.deactivatedDone', { name: user.name }))}
        >
          <p>{t('users.deactivateBody')}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

/** Settings → Users: the staff accounts (portal accounts are managed on each client's card). */
export function UsersPage() {
  const { t } = useTranslation();
  const me = useUser();
  const users = useQuery(trpc.users.list.queryOptions());
  const [link, setLink] = useState<{ link: HandedOverLink; name: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const inviteId = useId();
  const listId = useId();
  const staff = (users.data ?? []).filter((user) => user.role !== 'client');
  const showLink = (handed: HandedOverLink, name: string) => setLink({ link: handed, name });

  return (
    <div className="users-page">
      <section className="panel" aria-labelledby={inviteId}>
        <h2 id={inviteId}>{t('users.inviteTitle')}</h2>
        <InviteForm onLink={showLink} />
      </section>
      {link ? (
        <section className="panel" aria-label={t('users.linkFor', { name: link.name })}>
          <LinkHandOver link={link.link} name={link.name} />
        </section>
      ) : null}
      <section className="panel" aria-labelledby={listId}>
        <h2 id={listId}>{t('users.listTitle')}</h2>
        {problem ? (
          <p className="form-alert" role="alert">
            {problem}
          </p>
        ) : null}
        {users.isPending ? (
          <p>{t('common.loading')}</p>
        ) : users.isError ? (
          <p className="form-alert" role="alert">
            {t('common.error', { message: users.error.message })}
          </p>
        ) : staff.length === 0 ? (
          <p className="empty">{t('users.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('users.name')}</th>
                  <th scope="col">{t('users.email')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.status')}</th>
                  <th scope="col">{t('users.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {staff.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    isMe={user.id === me.id}
                    onLink={showLink}
                    onProblem={setProblem}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
