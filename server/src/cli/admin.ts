// npm run admin -- create --email a@b.tw --password 'long secret' [--name X]
// Creates an admin account, or makes an existing account an admin with the given password; the
// admin then sets up two-factor sign-in (Security page) before /api/admin answers.
// npm run admin -- demo-code: the demo admin's current TOTP code (demo data only).
import { parseArgs } from 'node:util';
import { Email, Password, UserName } from '../../../shared/contracts/accounts.ts';
import { totpCode } from '../modules/accounts/index.ts';
import { DEMO_ADMIN_TOTP_SECRET } from '../modules/demo/index.ts';
import { openForCli, runCli, say, UsageError } from './cli.ts';

const USAGE =
  'usage: npm run admin -- create --email <email> --password <at least 8 characters> [--name <name>]\n' +
  '       npm run admin -- demo-code';

await runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
    },
  });
  if (positionals[0] === 'demo-code' && positionals.length === 1) {
    say(totpCode(DEMO_ADMIN_TOTP_SECRET, new Date()));
    return;
  }
  if (positionals[0] !== 'create' || positionals.length !== 1)
    throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  const email = Email.safeParse(values.email);
  if (!email.success) throw new UsageError('--email must be an e-mail address');
  const password = Password.safeParse(values.password);
  if (!password.success) throw new UsageError('--password must have at least 8 characters');
  const name = UserName.safeParse(values.name ?? 'Admin');
  if (!name.success) throw new UsageError('--name must be 1-50 characters');

  const deps = await openForCli();
  try {
    const id = await deps.accounts.createAdmin(email.data, password.data, name.data);
    say(`admin ready: ${email.data} (id ${id})`);
  } finally {
    await deps.close();
  }
});
