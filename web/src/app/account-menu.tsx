import { DropdownMenu } from 'radix-ui';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Me } from '../api/types.ts';
import { useLogout } from '../features/auth/session-actions.ts';

/** The signed-in member's menu: member centre pages, admin, log out. */
export default function AccountMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const logout = useLogout();
  const go = (path: string) => () => void navigate(path);
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="button ghost small account-trigger">
        <span className="avatar" aria-hidden="true">
          {me.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="account-name">{me.name}</span>
        <span className="visually-hidden">{t('header.accountMenu')}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
          <DropdownMenu.Item className="menu-item" onSelect={go('/me/orders')}>
            {t('nav.orders')}
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" onSelect={go('/me/listings')}>
            {t('nav.myListings')}
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" onSelect={go('/me/reservations')}>
            {t('nav.reservations')}
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" onSelect={go('/me/notifications')}>
            {t('nav.notifications')}
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" onSelect={go('/me/profile')}>
            {t('nav.profile')}
          </DropdownMenu.Item>
          {me.role === 'admin' && (
            <DropdownMenu.Item className="menu-item" onSelect={go('/admin')}>
              {t('nav.admin')}
            </DropdownMenu.Item>
          )}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item
            className="menu-item"
            onSelect={() => logout.mutate(undefined, { onSuccess: () => void navigate('/') })}
          >
            {t('nav.logout')}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
