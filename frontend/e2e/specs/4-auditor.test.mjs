import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an auditor steps through an event history and sees it as it was', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const auditor = { email: `${unique('audra')}@e2e.test`, password: 'password-123' };
  await api('POST', '/users', { token: admin, json: { ...auditor, name: 'Audra Auditor', role: 'auditor' } });
  const event = await createEvent(admin, { name: unique('Audited fair') });
  const customer = await signupApi('Hugo');
  const first = await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'General', quantity: 3 } });
  await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'VIP', quantity: 1 } });
  await api('DELETE', `/bookings/${first.id}`, { token: customer.token });

  const page = await newPage(browser);
  await loginUi(page, auditor);
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('table', { name: 'Projections' }).getByRole('rowheader', { name: 'availability' }).waitFor();
  await page.getByRole('button', { name: 'Run verification' }).click();
  await page.getByText('Ledger verified: no problem found.').waitFor({ timeout: 60_000 });
  await shot(page, '14-audit-projections-verify');

  await page.getByLabel('Find an event').fill(event.name);
  await page.getByRole('link', { name: new RegExp(event.name) }).click();
  const timeline = page.getByRole('list', { name: 'Event history' });
  await timeline.getByRole('button').nth(3).waitFor();
  const steps = await timeline.getByRole('listitem').count();
  assert.equal(steps, 4); // created, booked, booked, cancelled
  await expectText(page.getByTestId('state-version'), /^4$/);
  await expectText(page.getByTestId('state-seats'), /13 of 14 seats left/);

  await timeline.getByRole('button').first().click();
  await expectText(page.getByTestId('state-seats'), /14 of 14 seats left/);
  await shot(page, '15-audit-version-1');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expectText(page.getByTestId('state-version'), /^2$/);
  await expectText(page.getByTestId('state-seats'), /11 of 14 seats left/);
  const slider = page.getByLabel(/^Version/);
  await slider.focus();
  await page.keyboard.press('ArrowRight'); // the slider works from the keyboard
  await expectText(page.getByTestId('state-version'), /^3$/);
  await expectText(page.getByTestId('state-seats'), /10 of 14 seats left/);
  await shot(page, '16-audit-time-travel');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
