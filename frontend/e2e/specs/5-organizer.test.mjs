import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an organizer is granted the role, creates an event, sees a sale live, and cannot edit another organizer\'s event', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const olga = await signupApi('Olga');

  // An admin grants the role on the Organizers page.
  const admin = await newPage(browser);
  await loginUi(admin, ADMIN);
  await admin.goto('/admin/organizers');
  await admin.getByTestId(`user-${olga.email}`).getByRole('button', { name: 'Make organizer' }).click();
  await expectText(admin.getByTestId(`user-${olga.email}`).locator('.badge'), /organizer/);
  await admin.context().close();

  // Olga creates an event in pounds from her dashboard.
  const page = await newPage(browser);
  await loginUi(page, olga);
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('heading', { name: 'Organizer dashboard' }).waitFor();
  await page.getByRole('link', { name: '+ New event' }).click();
  const name = unique('Ceilidh');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue').fill('Corn Exchange');
  await page.getByLabel('Currency').fill('GBP');
  const rows = page.getByTestId('category-row');
  await rows.nth(0).getByLabel('Price').fill('37.50');
  await rows.nth(0).getByLabel('Capacity').fill('80');
  await page.getByRole('button', { name: 'Create event' }).click();
  await page.getByRole('heading', { name }).waitFor();
  await expectText(page.getByTestId('organizer'), /Organized by Olga/);
  const eventId = page.url().split('/events/')[1];

  // Her dashboard, left open, shows a customer's sale without a reload.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  const row = page.getByTestId(`stats-${name}`);
  await expectText(row.getByTestId('revenue'), /£\s?0[.,]00/);
  const customer = await signupApi('Hamish');
  await api('POST', `/events/${eventId}/book`, { token: customer.token, json: { quantity: 3 },
    headers: { 'Idempotency-Key': unique('key') } });
  await expectText(row.getByTestId('revenue'), /£\s?112[.,]50/, 20_000);
  await expectText(row.getByTestId('tickets'), /^3$/);
  await expectText(page.getByTestId('money-GBP'), /£\s?112[.,]50/);
  await page.locator('.recharts-surface').first().waitFor();
  await shot(page, '50-organizer-dashboard');

  // Another organizer's event: not on her dashboard, and its editor refuses her.
  const other = await signupApi('Oswald');
  const oswaldId = (await api('GET', '/users/me', { token: other.token })).id;
  await api('PATCH', `/users/${oswaldId}`, { token: adminToken, json: { role: 'organizer' } });
  const theirs = await createEvent(other.token, { name: unique('Rave'), currency: 'EUR' });
  assert.equal(await page.getByTestId(`stats-${theirs.name}`).count(), 0);
  await page.goto(`/admin/events/${theirs.id}/edit`);
  await page.getByTestId('not-your-event').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0);
  await shot(page, '51-organizer-not-your-event');
  await page.goto(`/admin/events/${theirs.id}/bookings`);
  await page.getByRole('alert').filter({ hasText: 'EVENT_NOT_FOUND' }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
