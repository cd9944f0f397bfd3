// Route table (declarative mode: the data router's loaders are not needed, and leaving them out
// keeps the home page small). Every other page is its own chunk (React.lazy).
import { lazy, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { loadPageStrings } from '../i18n/index.ts';
import { Layout } from './layout.tsx';
import { RequireAuth } from '../features/auth/require-auth.tsx';
// The landing page is part of the main bundle (no extra round trip before first paint); its
// calendar and charts are still loaded lazily.
import HomePage from '../features/home/home-page.tsx';
import { PrefetchGame, PrefetchListing } from './prefetch.tsx';

/** A page's code and the strings it needs (home and 404 need only the bundled core strings). */
function page<T>(load: () => Promise<{ default: T }>) {
  return () => Promise.all([load(), loadPageStrings()]).then(([module]) => module);
}

const GamePage = lazy(page(() => import('../features/games/game-page.tsx')));
const ReservePage = lazy(page(() => import('../features/reserve/reserve-page.tsx')));
const ListingPage = lazy(page(() => import('../features/listings/listing-page.tsx')));
const CheckoutPage = lazy(page(() => import('../features/checkout/checkout-page.tsx')));
const SellPage = lazy(page(() => import('../features/sell/sell-page.tsx')));
const SeasonPage = lazy(page(() => import('../features/sell/season-page.tsx')));
const MyOrdersPage = lazy(page(() => import('../features/me/orders-page.tsx')));
const MyListingsPage = lazy(page(() => import('../features/me/listings-page.tsx')));
const MyReservationsPage = lazy(page(() => import('../features/me/reservations-page.tsx')));
const MyNotificationsPage = lazy(page(() => import('../features/me/notifications-page.tsx')));
const LineCallbackPage = lazy(page(() => import('../features/me/line-callback-page.tsx')));
const ProfilePage = lazy(page(() => import('../features/me/profile-page.tsx')));
const UserPage = lazy(page(() => import('../features/users/user-page.tsx')));
const LoginPage = lazy(page(() => import('../features/auth/login-page.tsx')));
const RegisterPage = lazy(page(() => import('../features/auth/register-page.tsx')));
const SecurityPage = lazy(page(() => import('../features/account/security-page.tsx')));
const VerifyEmailPage = lazy(page(() => import('../features/account/verify-email-page.tsx')));
const ConfirmEmailPage = lazy(page(() => import('../features/account/confirm-email-page.tsx')));
const ForgotPasswordPage = lazy(page(() => import('../features/account/forgot-password-page.tsx')));
const ResetPasswordPage = lazy(page(() => import('../features/account/reset-password-page.tsx')));
const SearchPage = lazy(page(() => import('../features/find/search-page.tsx')));
const TeamPage = lazy(page(() => import('../features/find/team-page.tsx')));
const EarningsPage = lazy(page(() => import('../features/me/earnings-page.tsx')));
const TrustPage = lazy(page(() => import('../features/trust/trust-page.tsx')));
const AdminPage = lazy(page(() => import('../features/admin/admin-page.tsx')));
const NotFoundPage = lazy(() => import('./not-found-page.tsx'));

const member = (page: ReactNode, admin = false) => <RequireAuth admin={admin}>{page}</RequireAuth>;

const pages: [string, ReactNode][] = [
  ['/', <HomePage />],
  [
    '/games/:id',
    <PrefetchGame key="game">
      <GamePage />
    </PrefetchGame>,
  ],
  ['/reserve/:gameId', member(<ReservePage />)],
  [
    '/listings/:id',
    <PrefetchListing key="listing">
      <ListingPage />
    </PrefetchListing>,
  ],
  ['/checkout/:orderId', member(<CheckoutPage />)],
  ['/sell', member(<SellPage />)],
  ['/sell/season', member(<SeasonPage />)],
  ['/me', member(<MyOrdersPage />)],
  ['/me/orders', member(<MyOrdersPage />)],
  ['/me/orders/:id', member(<MyOrdersPage />)],
  ['/me/listings', member(<MyListingsPage />)],
  ['/me/reservations', member(<MyReservationsPage />)],
  ['/me/notifications', member(<MyNotificationsPage />)],
  ['/me/profile', member(<ProfilePage />)],
  // A payout_failed notification's link: the payouts are listed under the payout account form.
  ['/me/payouts', member(<ProfilePage />)],
  ['/me/earnings', member(<EarningsPage />)],
  ['/me/security', member(<SecurityPage />)],
  ['/guarantee', <TrustPage />],
  ['/help', <TrustPage />],
  ['/verify-email', <VerifyEmailPage />],
  ['/confirm-email', <ConfirmEmailPage />],
  ['/forgot-password', <ForgotPasswordPage />],
  ['/reset-password', <ResetPasswordPage />],
  ['/me/line/callback', member(<LineCallbackPage />)],
  ['/search', <SearchPage />],
  ['/teams/:id', <TeamPage />],
  ['/users/:id', <UserPage />],
  ['/login', <LoginPage />],
  ['/register', <RegisterPage />],
  ['/admin', member(<AdminPage />, true)],
  ['/admin/*', member(<AdminPage />, true)],
  ['*', <NotFoundPage />],
];

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        {pages.map(([path, element]) => (
          <Route key={path} path={path} element={element} />
        ))}
      </Route>
    </Routes>
  );
}
