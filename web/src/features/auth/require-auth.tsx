import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { useMe } from './session.ts';

/** Pages for members: visitors go to /login and come back after signing in. */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  if (me.isPending) return <PageSkeleton />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (admin && me.data.role !== 'admin') {
    return (
      <section className="page narrow">
        <h1>{t('nav.admin')}</h1>
        <p className="notice error">{t('errors.FORBIDDEN')}</p>
      </section>
    );
  }
  return <>{children}</>;
}
