import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  localizePasswordMessage,
  PASSWORD_MIN_LENGTH,
  passwordMessage,
  passwordShapeProblem,
} from '../../../shared/passwords';
import { LocaleSwitch } from '../../components/locale-switch';
import { ThemeSwitch } from '../../components/theme-switch';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { fieldErrorsOf, trpc } from '../../lib/trpc';

/**
 * Where a one-time link from an invitation, a reset or a new portal account leads: the person picks a password,
 * checked as they type for its length and by the server against the most common passwords.
 */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const link = useQuery({ ...trpc.auth.passwordLink.queryOptions({ token }), enabled: token !== '', retry: false });
  const setPassword = useMutation(trpc.auth.setPassword.mutationOptions());
  const [password, setPasswordValue] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ password?: string; repeat?: string; linkDead?: boolean; general?: string }>(
    {},
  );
  const [done, setDone] = useState<string | null>(null);
  const passwordId = useId();
  const repeatId = useId();
  const hintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = passwordShapeProblem(password);
    const next = {
      password: problem ? passwordMessage(problem, locale) : undefined,
      repeat: !problem && repeat !== password ? t('password.mismatch') : undefined,
    };
    setErrors(next);
    if (next.password || next.repeat) return;
    try {
      const { email } = await setPassword.mutateAsync({ token, password });
      setDone(email);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields?.token) setErrors({ linkDead: true });
      else if (fields?.password) {
        setErrors({ password: fields.password.map((text) => localizePasswordMessage(text, locale)).join(' ') });
      } else setErrors({ general: t('common.error', { message: (error as Error).message }) });
    }
  };

  const dead = !token ? t('password.noToken') : link.isError || errors.linkDead ? t('password.invalidLink') : null;

  return (
    <div className="signin">
      <div className="signin-locale">
        <LocaleSwitch />
        <ThemeSwitch />
      </div>
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            K
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('password.title')}</h1>
        {done ? (
          <>
            <p role="status" className="notice">
              {t('password.done')}
            </p>
            <Link className="btn btn-primary btn-block" to={`/sign-in?email=${encodeURIComponent(done)}`}>
              {t('password.signIn')}
            </Link>
          </>
        ) : dead ? (
          <>
            <p role="alert" className="form-alert">
              {dead}
            </p>
            <Link to="/sign-in">{t('password.signIn')}</Link>
          </>
        ) : !link.data ? (
          <p>{t('common.loading')}</p>
        ) : (
          <form onSubmit={(event) => void submit(event)} noValidate className="set-password-form">
            <p>
              {t('password.forAccount', {
                name: link.data.name,
                email: link.data.email,
                date: formatDateTime(link.data.expiresAt, locale),
              })}
            </p>
            {/* For password managers: the account the new password belongs to. */}
            <input type="email" autoComplete="username" value={link.data.email} readOnly hidden />
            <div className="field">
              <label htmlFor={passwordId}>{t('password.newPassword')}</label>
              <input
                id={passwordId}
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(event) => setPasswordValue(event.target.value)}
                aria-invalid={errors.password ? true : undefined}
                aria-describedby={`${hintId}${errors.password ? ` ${passwordId}-error` : ''}`}
              />
              <p id={hintId} className="hint">
                {t('password.hint', { min: PASSWORD_MIN_LENGTH })}
              </p>
              {errors.password ? (
                <p id={`${passwordId}-error`} className="field-error" role="alert">
                  {errors.password}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor={repeatId}>{t('password.repeat')}</label>
              <input
                id={repeatId}
                type="password"
                autoComplete="new-password"
                value={repeat}
                onChange={(event) => setRepeat(event.target.value)}
                aria-invalid={errors.repeat ? true : undefined}
                aria-describedby={errors.repeat ? `${repeatId}-error` : undefined}
              />
              {errors.repeat ? (
                <p id={`${repeatId}-error`} className="field-error" role="alert">
                  {errors.repeat}
                </p>
              ) : null}
            </div>
            {errors.general ? (
              <p className="form-alert" role="alert">
                {errors.general}
              </p>
            ) : null}
            <button type="submit" className="btn btn-primary btn-block" disabled={setPassword.isPending}>
              {t('password.submit')}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
