// 個人資料: name, favourite team, language, e-mail preferences and the payout account (masked).
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  PayoutAccountInput,
  UserName,
  type UpdateMeBody,
} from '../../../../shared/contracts/accounts.ts';
import { Locale } from '../../../../shared/contracts/common.ts';
import type { MyPayoutList } from '../../../../shared/contracts/payouts.ts';
import { api } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { SkeletonLines } from '../../components/skeleton.tsx';
import { setLanguage } from '../../i18n/index.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/format.ts';
import { localName } from '../../lib/names.ts';
import { ME_KEY, useMe } from '../auth/session.ts';
import { teamsQuery } from '../home/home-api.ts';
import { MeNav } from './me-nav.tsx';

const ProfileForm = z
  .object({
    name: UserName,
    favoriteTeamId: z.string(),
    locale: Locale,
    emailNotifications: z.boolean(),
    bankCode: z.string().trim(),
    branchCode: z.string().trim(),
    accountNumber: z.string().trim(),
    accountName: z.string().trim(),
  })
  .superRefine((v, ctx) => {
    if (!v.bankCode && !v.branchCode && !v.accountNumber && !v.accountName) return; // keep it
    // The form asks for all four: a payout is paid out only with a complete account.
    for (const key of ['branchCode', 'accountName'] as const)
      if (!v[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required' });
    const parsed = PayoutAccountInput.safeParse({
      bankCode: v.bankCode,
      branchCode: v.branchCode,
      accountNumber: v.accountNumber,
      accountName: v.accountName,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });
type ProfileForm = z.infer<typeof ProfileForm>;

function ProfileEditor({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const teams = useQuery(teamsQuery);
  const form = useForm<ProfileForm>({
    resolver: zodResolver(ProfileForm),
    defaultValues: {
      name: me.name,
      favoriteTeamId: me.favoriteTeamId ?? '',
      locale: me.locale,
      emailNotifications: me.emailNotifications,
      bankCode: '',
      branchCode: '',
      accountNumber: '',
      accountName: '',
    },
  });
  const save = useMutation({
    mutationFn: (body: UpdateMeBody) => api<Me>('/api/me', { method: 'PATCH', body }),
    onSuccess: (user) => {
      qc.setQueryData(ME_KEY, user);
      void setLanguage(user.locale);
      form.reset({
        name: user.name,
        favoriteTeamId: user.favoriteTeamId ?? '',
        locale: user.locale,
        emailNotifications: user.emailNotifications,
        bankCode: '',
        branchCode: '',
        accountNumber: '',
        accountName: '',
      });
    },
  });
  const removePayout = useMutation({
    mutationFn: () => api<Me>('/api/me', { method: 'PATCH', body: { payoutAccount: null } }),
    onSuccess: (user) => qc.setQueryData(ME_KEY, user),
  });
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit((v) => {
    const body: UpdateMeBody = {
      name: v.name,
      favoriteTeamId: v.favoriteTeamId || null,
      locale: v.locale,
      emailNotifications: v.emailNotifications,
    };
    if (v.bankCode && v.accountNumber)
      body.payoutAccount = {
        bankCode: v.bankCode,
        branchCode: v.branchCode,
        accountNumber: v.accountNumber,
        accountName: v.accountName,
      };
    save.mutate(body);
  });

  return (
    <form className="form card profile-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      <p className="muted">
        {t('profile.email')}: {me.email}
      </p>
      <label className="field">
        <span>{t('auth.name')}</span>
        <input aria-invalid={Boolean(errors.name)} {...form.register('name')} />
        {errors.name && <span className="field-error">{t('auth.err.name')}</span>}
      </label>
      <label className="field">
        <span>{t('auth.favoriteTeam')}</span>
        <select {...form.register('favoriteTeamId')}>
          <option value="">{t('auth.noTeam')}</option>
          {teams.data?.items.map((team) => (
            <option key={team.id} value={team.id}>
              {localName(team, locale)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('profile.language')}</legend>
        <div className="radio-list inline">
          <label className="radio">
            <input type="radio" value="zh-TW" {...form.register('locale')} />
            <span lang="zh-TW">繁體中文</span>
          </label>
          <label className="radio">
            <input type="radio" value="en" {...form.register('locale')} />
            <span lang="en">English</span>
          </label>
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" {...form.register('emailNotifications')} />
        <span>{t('profile.emailNotifications')}</span>
      </label>
      <fieldset>
        <legend>{t('profile.payout')}</legend>
        <p className="hint">
          {me.payoutAccount
            ? t('profile.payoutCurrent', {
                bank: me.payoutAccount.bankCode,
                account: me.payoutAccount.accountMasked,
              })
            : t('profile.payoutNone')}
        </p>
        <div className="field-row">
          <label className="field">
            <span>{t('profile.bankCode')}</span>
            <input
              inputMode="numeric"
              maxLength={3}
              placeholder="812"
              autoComplete="off"
              aria-invalid={Boolean(errors.bankCode)}
              {...form.register('bankCode')}
            />
            {errors.bankCode && <span className="field-error">{t('profile.err.bankCode')}</span>}
          </label>
          <label className="field">
            <span>{t('profile.branchCode')}</span>
            <input
              inputMode="numeric"
              maxLength={4}
              placeholder="0012"
              autoComplete="off"
              aria-invalid={Boolean(errors.branchCode)}
              {...form.register('branchCode')}
            />
            {errors.branchCode && (
              <span className="field-error">{t('profile.err.branchCode')}</span>
            )}
          </label>
          <label className="field">
            <span>{t('profile.accountNumber')}</span>
            <input
              inputMode="numeric"
              maxLength={16}
              autoComplete="off"
              aria-invalid={Boolean(errors.accountNumber)}
              {...form.register('accountNumber')}
            />
            {errors.accountNumber && (
              <span className="field-error">{t('profile.err.accountNumber')}</span>
            )}
          </label>
          <label className="field">
            <span>{t('profile.accountName')}</span>
            <input
              maxLength={50}
              autoComplete="off"
              aria-invalid={Boolean(errors.accountName)}
              {...form.register('accountName')}
            />
            {errors.accountName && (
              <span className="field-error">{t('profile.err.accountName')}</span>
            )}
          </label>
        </div>
        {me.payoutAccount && (
          <button
            type="button"
            className="button ghost small"
            onClick={() => removePayout.mutate()}
          >
            {t('profile.removePayout')}
          </button>
        )}
      </fieldset>
      {save.isError && <ErrorNotice error={save.error} />}
      {removePayout.isError && <ErrorNotice error={removePayout.error} />}
      {save.isSuccess && !form.formState.isDirty && (
        <p className="notice success" role="status">
          {t('profile.saved')}
        </p>
      )}
      <button type="submit" className="button accent" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}

/** The seller's payouts and where each one is (docs/PRODUCT.md §2.14). */
function MyPayouts() {
  const { t } = useTranslation();
  const payouts = useQuery({
    queryKey: ['me', 'payouts'],
    queryFn: () => api<MyPayoutList>('/api/me/payouts'),
  });
  if (payouts.isError) return <ErrorNotice error={payouts.error} />;
  const items = payouts.data?.items ?? [];
  return (
    <section className="card" id="payouts" aria-labelledby="payouts-title">
      <h2 id="payouts-title">{t('profile.payouts')}</h2>
      {payouts.isSuccess && items.length === 0 && (
        <p className="muted">{t('profile.payoutsNone')}</p>
      )}
      {items.length > 0 && (
        <ul className="plain-list">
          {items.map((p) => (
            <li key={p.id}>
              <strong>{formatMoney(p.amount)}</strong>{' '}
              <span className={p.status === 'failed' ? 'field-error' : 'muted'}>
                {t(`profile.payoutStatus.${p.status}`, { reason: p.failureReason ?? '' })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function ProfilePage() {
  const { t } = useTranslation();
  useTitle(t('nav.profile'));
  const me = useMe();
  // The form starts from the saved values once the teams are known: a <select> filled before its
  // options exist shows 「還沒決定」 although a team is saved (issue 21 item 7).
  const teams = useQuery(teamsQuery);
  return (
    <div className="page me-page">
      <h1>{t('nav.profile')}</h1>
      <MeNav />
      {me.data && (teams.data || teams.isError) ? (
        <ProfileEditor me={me.data} />
      ) : (
        <SkeletonLines />
      )}
      {me.data && <MyPayouts />}
    </div>
  );
}
