import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LocaleSwitch } from '../../components/locale-switch';
import { ThemeSwitch } from '../../components/theme-switch';
import { useSession } from '../../lib/session';
import { errorCode, queryClient, trpc } from '../../lib/trpc';

/** How many seconds a throttled sign-in must wait (the server puts it in the error's data). */
function retryAfterOf(error: unknown): number | undefined {
  return error instanceof TRPCClientError ? (error.data as { retryAfter?: number } | undefined)?.retryAfter : undefined;
}

function safeNext(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // The set-password page sends people here with their e-mail filled in.
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();

  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        navigate(safeNext(params.get('next')), { replace: true });
      },
      onError: (error) => {
        const code = errorCode(error);
        const retryAfter = retryAfterOf(error);
        setProblem(
          code === 'TOO_MANY_REQUESTS' && retryAfter
            ? t('auth.tooManyAttempts', { seconds: retryAfter })
            : code === 'UNAUTHORIZED' || code === 'BAD_REQUEST' || code === 'FORBIDDEN'
              ? t('auth.invalid')
              : t('common.error', { message: error.message }),
        );
      },
    }),
  );

  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setProblem(t('auth.required'));
      return;
    }
    setProblem(null);
    login.mutate({ email: email.trim(), password });
  };

  return (
    <div className="signin">
      <div className="signin-locale">
        <LocaleSwitch />
        <ThemeSwitch />
      </div>
      <form className="signin-card" onSubmit={submit} noValidate aria-describedby={problem ? errorId : undefined}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            K
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('auth.title')}</h1>
        <div className="field">
          <label htmlFor="signin-email">{t('auth.email')}</label>
          <input
            id="signin-email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={problem ? true : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t('auth.password')}</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={problem ? true : undefined}
          />
        </div>
        {problem ? (
          <p id={errorId} className="form-alert" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending}>
          {t('auth.submit')}
        </button>
      </form>
    </div>
  );
}
