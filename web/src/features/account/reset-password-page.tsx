import { ResetPasswordPage } from './link-pages.tsx';

export default ResetPasswordPage;
