import { ForgotPasswordPage } from './link-pages.tsx';

export default ForgotPasswordPage;
