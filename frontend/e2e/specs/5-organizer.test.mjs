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
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
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
  await page.getByRole('alert').filter({ hasText: 'There is no such event' }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test("an organizer cancels a customer's booking of their event with a reason; the customer reads it in My bookings", async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const organizer = await signupApi('Odile');
  const odileId = (await api('GET', '/users/me', { token: organizer.token })).id;
  await api('PATCH', `/users/${odileId}`, { token: adminToken, json: { role: 'organizer' } });
  const event = await createEvent(await token(organizer.email, organizer.password), { name: unique('Tango') });
  const customer = await signupApi('Pablo');
  const booking = await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'VIP', quantity: 2 } });
  const reason = 'The VIP balcony is closed for repairs; you are refunded in full.';

  // From her dashboard to the event's bookings: cancel Pablo's, saying why.
  const page = await newPage(browser);
  await loginUi(page, organizer);
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByTestId(`stats-${event.name}`).getByRole('link', { name: 'Bookings' }).click();
  await page.getByRole('heading', { name: `Bookings of “${event.name}”` }).waitFor();
  const row = page.getByTestId(`booking-${booking.id}`);
  await expectText(row, /Pablo.*VIP.*confirmed/);
  await row.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
  await dialog.getByRole('button', { name: 'Cancel the booking' }).click();
  await dialog.getByText('Say why: the customer reads it.').waitFor(); // a reason is required
  await dialog.getByLabel('Reason (the customer sees it)').fill(reason);
  await shot(page, '52-organizer-cancel-booking');
  await dialog.getByRole('button', { name: 'Cancel the booking' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await expectText(row.locator('.badge').first(), /cancelled/i);
  await expectText(row.getByTestId('cancellation'), new RegExp(`by the organizer: “${reason.replace(/[.;]/g, '\\$&')}”`));
  assert.equal(await row.getByRole('button', { name: 'Cancel', exact: true }).count(), 0);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();

  // Pablo logs in and reads why in his bookings.
  const his = await newPage(browser);
  await loginUi(his, customer);
  await his.getByRole('link', { name: 'My bookings' }).click();
  const card = his.getByTestId('booking').filter({ hasText: event.name });
  await expectText(card.locator('.badge').first(), /cancelled/i);
  await expectText(card.getByTestId('cancellation'), new RegExp(`^Cancelled by the organizer: “${reason.replace(/[.;]/g, '\\$&')}”$`));
  assert.equal(await card.getByRole('button', { name: 'Cancel booking' }).count(), 0);
  await shot(his, '53-customer-sees-reason');
  assert.deepEqual(his.consoleErrors, []);
  await his.context().close();
});
