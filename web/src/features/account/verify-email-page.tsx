import { VerifyEmailPage } from './link-pages.tsx';

export default VerifyEmailPage;
