// What other modules (and the README) may import from demo.
export {
  DEMO_ACCOUNTS,
  DEMO_ADMIN_TOTP_SECRET,
  DEMO_PASSWORD,
  demoSellerEmail,
  loadDemoData,
  type DemoDeps,
  type DemoReport,
} from './demo-data.ts';
