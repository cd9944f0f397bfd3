// The page frame: skip link, header (logo, nav, language, bell, account), demo banner, footer.
import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { api } from '../api/client.ts';
import type { Meta } from '../api/types.ts';
import { SearchIcon } from '../components/search-icon.tsx';
import { PageSkeleton } from '../components/skeleton.tsx';
import { useMe } from '../features/auth/session.ts';
import { setLanguage } from '../i18n/index.ts';
import { useLocale } from '../lib/hooks.ts';

// Members only: loaded after sign-in so visitors' pages stay small.
const Bell = lazy(() => import('../features/notifications/bell.tsx'));
const AccountMenu = lazy(() => import('./account-menu.tsx'));
const VerifyBanner = lazy(() => import('../features/account/verify-banner.tsx'));

/** Members whose e-mail is not verified see why they cannot sell or buy, and can resend. */
function UnverifiedNotice() {
  const me = useMe();
  if (!me.data || me.data.emailVerified) return null;
  return (
    <Suspense fallback={null}>
      <VerifyBanner />
    </Suspense>
  );
}

function LanguageSwitch() {
  const { t } = useTranslation();
  const locale = useLocale();
  const me = useMe();
  const next = locale === 'en' ? 'zh-TW' : 'en';
  return (
    <button
      type="button"
      className="button ghost small lang-switch"
      lang={next}
      title={t('header.switchLanguage')}
      onClick={() => {
        void setLanguage(next);
        // The account's language decides its e-mails; keep it in step (best effort).
        if (me.data)
          void api('/api/me', { method: 'PATCH', body: { locale: next } }).catch(() => {});
      }}
    >
      <span className="long">{next === 'en' ? 'English' : '中文'}</span>
      <span className="short" aria-hidden="true">
        {next === 'en' ? 'EN' : '中'}
      </span>
    </button>
  );
}

const DEMO_DISMISSED = 'pas_demo_dismissed';

function readDismissed() {
  try {
    return sessionStorage.getItem(DEMO_DISMISSED) === '1';
  } catch {
    return false;
  }
}

/** Whether this is a demo site; app.tsx starts it before the first render. */
export const metaQuery = queryOptions({
  queryKey: ['meta'],
  queryFn: () => api<Meta>('/api/meta'),
  staleTime: Infinity,
});

function DemoBanner() {
  const { t } = useTranslation();
  const meta = useQuery(metaQuery);
  const [dismissed, setDismissed] = useState(() => readDismissed());
  if (!meta.data?.demo || dismissed) return null;
  // Fixed at the bottom: it arrives after the first paint and must not push the page down.
  return (
    <div className="demo-banner" role="note">
      <span className="long">{t('demo.banner')}</span>
      <span className="short">{t('demo.short')}</span>
      <button
        type="button"
        className="demo-close"
        aria-label={t('demo.close')}
        onClick={() => {
          setDismissed(true);
          try {
            sessionStorage.setItem(DEMO_DISMISSED, '1');
          } catch {
            // ignore
          }
        }}
      >
        ×
      </button>
    </div>
  );
}

/** Shown while the browser is offline: the shell and open pages still work (service worker),
 *  anything live needs the network, and the API's network errors say so too. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const [offline, setOffline] = useState(
    () => typeof navigator !== 'undefined' && !navigator.onLine,
  );
  useEffect(() => {
    const update = () => setOffline(!navigator.onLine);
    addEventListener('online', update);
    addEventListener('offline', update);
    return () => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    };
  }, []);
  if (!offline) return null;
  return (
    <div className="offline-banner" role="status">
      {t('offline.banner')}
    </div>
  );
}

/** The sticky header's height as `--header-height` on the root element, so the page's
 *  scroll-padding keeps what is scrolled into view (a tapped day's games, a focused field, a
 *  #fragment) below the header instead of under it. The header wraps on a phone and grows when a
 *  member signs in, so it is measured, not assumed. */
function useHeaderHeight() {
  const header = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const element = header.current;
    if (!element) return;
    const root = document.documentElement;
    const write = () => root.style.setProperty('--header-height', `${element.offsetHeight}px`);
    write();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(write);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return header;
}

function Header() {
  const { t } = useTranslation();
  const me = useMe();
  const header = useHeaderHeight();
  return (
    <header className="site-header" ref={header}>
      <div className="header-inner">
        <Link to="/" className="logo" aria-label="Pitch-A-Seat 讓座 — home">
          <span className="logo-ball" aria-hidden="true" />
          <span className="logo-text">
            Pitch-A-Seat <span className="logo-zh">讓座</span>
          </span>
        </Link>
        <nav className="main-nav" aria-label={t('header.nav')}>
          <NavLink to="/" end>
            {t('nav.games')}
          </NavLink>
          <NavLink to="/search" className="nav-search">
            <SearchIcon />
            <span className="nav-search-text">{t('nav.search')}</span>
          </NavLink>
          <NavLink to="/sell">{t('nav.sell')}</NavLink>
          {me.data && <NavLink to="/me/orders">{t('nav.orders')}</NavLink>}
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          {me.data ? (
            <Suspense fallback={<span className="tool-placeholder" />}>
              <Bell />
              <AccountMenu me={me.data} />
            </Suspense>
          ) : me.isPending ? (
            <span className="tool-placeholder" />
          ) : (
            <>
              <Link to="/login" className="button ghost small">
                {t('nav.login')}
              </Link>
              <Link to="/register" className="button small">
                {t('nav.register')}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p className="law-note">{t('footer.law')}</p>
      <p className="muted small">{t('footer.escrow')}</p>
      <p className="footer-links">
        <Link to="/guarantee">{t('footer.guarantee')}</Link>
        <Link to="/help">{t('footer.help')}</Link>
      </p>
      <p className="muted small">© Pitch-A-Seat 讓座</p>
    </footer>
  );
}

/** A new page starts at the top (filters and tabs that only change the query keep the scroll). */
function ScrollToTop() {
  const { pathname } = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return null;
}

export function Layout() {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('header.skip')}
      </a>
      <Header />
      <UnverifiedNotice />
      <OfflineBanner />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </main>
      <Footer />
      <DemoBanner />
      <ScrollToTop />
    </>
  );
}
