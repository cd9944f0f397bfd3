// The handover guide (issue 18 item 1): shipped reference data, the club's row or the default,
// admins edit it, edits survive a restart's seeding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { errorCode, signedInUser, type TestUser } from '../../../test/factories/index.ts';
import { ensureHandoverGuide } from './handover-guide.seed.ts';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedInUser(t, { role: 'admin' });
});
afterAll(async () => t.close());

const guide = (teamId: string, method: string) =>
  t.app.inject({ method: 'GET', url: `/api/handover-guide?teamId=${teamId}&method=${method}` });

const body = {
  recipient: 'phone',
  title: '測試球團 App 轉贈',
  titleEn: 'Test club app transfer',
  steps: ['打開 App', '輸入手機號碼'],
  stepsEn: ['Open the app', 'Enter the mobile number'],
  verified: true,
};

describe('handover guide', () => {
  it("when a club has its own e-ticket row, then anyone reads it, marked unverified where the club's rules are not known", async () => {
    const res = await guide('ACN011', 'eticket_transfer');
    expect(res.statusCode, res.body).toBe(200);
    const g = res.json();
    expect(g).toMatchObject({
      teamId: 'ACN011',
      deliveryMethod: 'eticket_transfer',
      recipient: 'phone_or_email',
      verified: false,
    });
    expect(g.steps.length).toBeGreaterThan(1);
    expect(g.stepsEn.length).toBe(g.steps.length);
  });

  it('when a club has no row for a method, then the default (*) answers', async () => {
    const res = await guide('ACN011', 'paper_mail');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ teamId: '*', recipient: 'address' });
    expect((await guide('ACN011', 'in_person')).json()).toMatchObject({
      teamId: '*',
      recipient: null,
    });
  });

  it('when an admin writes a club guide, then the guide and the list show it, and seeding again keeps it', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/handover-methods/AJL011/eticket_transfer',
      headers: admin.auth,
      payload: body,
    });
    expect(put.statusCode, put.body).toBe(200);
    await ensureHandoverGuide(t.deps.db, new Date().toISOString());
    expect((await guide('AJL011', 'eticket_transfer')).json()).toMatchObject({
      recipient: 'phone',
      title: body.title,
      steps: body.steps,
      stepsEn: body.stepsEn,
      verified: true,
    });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/admin/handover-methods',
      headers: admin.auth,
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { teamId: string; deliveryMethod: string }[];
    expect(items.filter((i) => i.teamId === 'AJL011')).toHaveLength(1);
    expect(items.filter((i) => i.teamId === '*')).toHaveLength(3);
  });

  it('when an admin writes a guide for a club without one, then it is created for that club only', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/handover-methods/AEO011/in_person',
      headers: admin.auth,
      payload: { ...body, recipient: null, title: '新莊球場 3 號門' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await guide('AEO011', 'in_person')).json().title).toBe('新莊球場 3 號門');
    expect((await guide('ADD011', 'in_person')).json().teamId).toBe('*');
  });

  it('when the team is unknown or the recipient does not fit the method, then 400', async () => {
    const put = (url: string, payload: object) =>
      t.app.inject({ method: 'PUT', url, headers: admin.auth, payload });
    const unknown = await put('/api/admin/handover-methods/ZZZ999/eticket_transfer', body);
    expect(unknown.statusCode).toBe(400);
    expect(errorCode(unknown)).toBe('VALIDATION_FAILED');
    const mail = await put('/api/admin/handover-methods/ACN011/paper_mail', body);
    expect(mail.statusCode).toBe(400);
    const inPerson = await put('/api/admin/handover-methods/ACN011/in_person', body);
    expect(inPerson.statusCode).toBe(400);
  });

  it('when a member or nobody writes the guide, then 403 or 401', async () => {
    const user = await signedInUser(t);
    const url = '/api/admin/handover-methods/ACN011/eticket_transfer';
    expect(
      (await t.app.inject({ method: 'PUT', url, headers: user.auth, payload: body })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url, payload: body })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/admin/handover-methods',
          headers: user.auth,
        })
      ).statusCode,
    ).toBe(403);
  });
});
