import { ConfirmEmailPage } from './link-pages.tsx';

export default ConfirmEmailPage;
