import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/** The member centre's section links. */
export function MeNav() {
  const { t } = useTranslation();
  return (
    <nav className="me-nav" aria-label={t('me.nav')}>
      <NavLink to="/me/orders">{t('nav.orders')}</NavLink>
      <NavLink to="/me/listings">{t('nav.myListings')}</NavLink>
      <NavLink to="/me/reservations">{t('nav.reservations')}</NavLink>
      <NavLink to="/me/notifications">{t('nav.notifications')}</NavLink>
      <NavLink to="/me/earnings">{t('earnings.title')}</NavLink>
      <NavLink to="/me/profile">{t('nav.profile')}</NavLink>
      <NavLink to="/me/security">{t('nav.security')}</NavLink>
    </nav>
  );
}
