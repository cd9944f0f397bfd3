import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { RegisterBody } from '../../../../shared/contracts/accounts.ts';
import { api } from '../../api/client.ts';
import type { AuthResult } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { teamsQuery } from '../home/home-api.ts';
import { safeNext } from './login-page.tsx';
import { ME_KEY } from './session.ts';

type RegisterInput = z.input<typeof RegisterBody>;

export default function RegisterPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  useTitle(t('auth.register'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const qc = useQueryClient();
  const teams = useQuery(teamsQuery);
  const form = useForm<RegisterInput, unknown, RegisterBody>({
    resolver: zodResolver(RegisterBody),
    mode: 'onTouched',
    defaultValues: { email: '', password: '', name: '', favoriteTeamId: null, locale },
  });
  const register = useMutation({
    mutationFn: (body: RegisterBody) =>
      api<AuthResult>('/api/auth/register', { method: 'POST', body: { ...body, locale } }),
    onSuccess: (result) => {
      qc.setQueryData(ME_KEY, result.user);
      void navigate(next, { replace: true });
    },
  });
  const errors = form.formState.errors;
  return (
    <div className="page narrow auth-page">
      <h1>{t('auth.register')}</h1>
      <form
        className="form card"
        noValidate
        onSubmit={form.handleSubmit((values) => register.mutate(values))}
      >
        <label className="field">
          <span>{t('auth.name')}</span>
          <input
            autoComplete="nickname"
            aria-invalid={Boolean(errors.name)}
            aria-describedby={errors.name ? 'name-error' : undefined}
            {...form.register('name')}
          />
          {errors.name && (
            <span className="field-error" id="name-error">
              {t('auth.err.name')}
            </span>
          )}
        </label>
        <label className="field">
          <span>{t('auth.email')}</span>
          <input
            type="email"
            autoComplete="email"
            aria-invalid={Boolean(errors.email)}
            aria-describedby={errors.email ? 'email-error' : undefined}
            {...form.register('email')}
          />
          {errors.email && (
            <span className="field-error" id="email-error">
              {t('auth.err.email')}
            </span>
          )}
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input
            type="password"
            autoComplete="new-password"
            aria-invalid={Boolean(errors.password)}
            aria-describedby="password-hint"
            {...form.register('password')}
          />
          <span className={errors.password ? 'field-error' : 'hint'} id="password-hint">
            {t('auth.passwordHint')}
          </span>
        </label>
        <label className="field">
          <span>{t('auth.favoriteTeam')}</span>
          <select {...form.register('favoriteTeamId', { setValueAs: (v: string) => v || null })}>
            <option value="">{t('auth.noTeam')}</option>
            {teams.data?.items.map((team) => (
              <option key={team.id} value={team.id}>
                {localName(team, locale)}
              </option>
            ))}
          </select>
        </label>
        {register.isError && <ErrorNotice error={register.error} />}
        <button type="submit" className="button accent big" disabled={register.isPending}>
          {register.isPending ? t('common.loading') : t('auth.register')}
        </button>
        <p className="muted">
          {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
        </p>
      </form>
    </div>
  );
}
