import assert from 'node:assert/strict';
import path from 'node:path';
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

test("an organizer sets a 20 % VAT included in a category's price; the buyer reads it beside the price, in the hold and in the booking", async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const vita = await signupApi('Vita');
  const vitaId = (await api('GET', '/users/me', { token: vita.token })).id;
  await api('PATCH', `/users/${vitaId}`, { token: adminToken, json: { role: 'organizer' } });
  const LONDON = { timezoneId: 'Europe/London', locale: 'en-GB' };
  const DESKTOP = { width: 1280, height: 900 };
  const PHONE = { width: 390, height: 844 };
  /** The part of the page a screenshot is about, alone (the full page's shot is taken beside it). */
  const part = (locator, name) => locator.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, `${name}.png`) });

  // A new event in pounds: General seats, whose price includes VAT, and a programme that is zero-rated.
  const page = await newPage(browser, DESKTOP, LONDON);
  await loginUi(page, vita);
  await page.goto('/admin/events/new');
  const name = unique('Proms');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue').fill('Royal Hall');
  await page.getByLabel('Currency').fill('GBP');
  const rows = page.getByTestId('category-row');
  await rows.nth(0).getByLabel('Price').fill('36.00');
  await rows.nth(0).getByLabel('Capacity').fill('50');
  await page.getByRole('button', { name: '+ Add category' }).click();
  await rows.nth(1).getByLabel('Category name').fill('Programme');
  await rows.nth(1).getByLabel('Price').fill('5.00');
  await rows.nth(1).getByLabel('Capacity').fill('20');

  // The tax, added by keyboard: its name has the focus, every category is ticked until told otherwise.
  const taxes = page.getByRole('group', { name: 'Taxes' });
  await taxes.getByRole('button', { name: '+ Add a tax' }).focus();
  await page.keyboard.press('Enter');
  const vat = taxes.getByTestId('tax-row');
  await page.keyboard.type('VAT');
  await vat.getByLabel('Rate (%)').fill('20');
  assert.equal(await vat.getByRole('checkbox', { name: 'Prices include this tax' }).isChecked(), true);
  const appliesTo = vat.getByRole('group', { name: 'Applies to' });
  assert.equal(await appliesTo.getByRole('checkbox', { name: 'General' }).isChecked(), true);
  await appliesTo.getByRole('checkbox', { name: 'Programme' }).uncheck();
  await expectText(vat.getByTestId('tax-preview'), /^Buyers read: General £36\.00 incl\.\s20\s% VAT$/);
  await taxes.scrollIntoViewIfNeeded();
  await shot(page, '54-event-form-taxes');
  await part(taxes, '54-event-form-taxes-section');
  await page.setViewportSize(PHONE);
  await part(taxes, '55-event-form-taxes-section-390');
  await shot(page, '55-event-form-taxes-390');
  await page.setViewportSize(DESKTOP);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
  const eventId = page.url().split('/events/')[1];
  const saved = await api('GET', `/events/${eventId}`);
  assert.deepEqual(saved.taxes, [{ name: 'VAT', rate: '20', inclusive: true, categories: ['General'] }]);

  // Its editor shows the rule as saved.
  await page.goto(`/admin/events/${eventId}/edit`);
  const loaded = page.getByRole('group', { name: 'Taxes' }).getByTestId('tax-row');
  assert.equal(await loaded.getByLabel('Tax name').inputValue(), 'VAT');
  assert.equal(await loaded.getByLabel('Rate (%)').inputValue(), '20');
  assert.equal(await loaded.getByRole('checkbox', { name: 'General' }).isChecked(), true);
  assert.equal(await loaded.getByRole('checkbox', { name: 'Programme' }).isChecked(), false);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();

  // The buyer reads the tax beside the price, holds two seats and a programme, and reads the VAT in the total.
  const buyer = await signupApi('Bea');
  const buyerId = (await api('GET', '/users/me', { token: buyer.token })).id;
  const shop = await newPage(browser, DESKTOP, LONDON);
  await loginUi(shop, buyer);
  await shop.goto(`/events/${eventId}`);
  await expectText(shop.getByTestId('tax-General'), /^incl\.\s20\s% VAT$/);
  assert.equal(await shop.getByTestId('tax-Programme').count(), 0);
  await expectText(shop.getByTestId('order-row-General'), /£36\.00 incl\.\s20\s% VAT · 50\sleft/);
  await shop.getByLabel('Quantity, General').fill('2');
  await shop.getByLabel('Quantity, Programme').fill('1');
  await shop.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = shop.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  await expectText(checkout.getByTestId('hold-total'), /^£77\.00$/);
  await expectText(checkout.getByRole('list', { name: 'Taxes in the total' }), /^incl\. VAT 20\s%: £12\.00$/);
  await shot(shop, '56-checkout-taxes');
  await part(checkout, '56-checkout-taxes-summary');
  await shop.setViewportSize(PHONE);
  await checkout.scrollIntoViewIfNeeded();
  await part(checkout, '57-checkout-taxes-summary-390');
  await shot(shop, '57-checkout-taxes-390');
  await shop.setViewportSize(DESKTOP);
  const [hold] = (await api('GET', `/users/${buyerId}/holds`, { token: buyer.token })).items;
  assert.deepEqual(hold.lines.map((l) => [l.category, l.unit_price, l.unit_tax, l.tax_name, l.tax_rate]),
    [['General', '36.00', '6.00', 'VAT', '20'], ['Programme', '5.00', null, null, null]]);

  // Read back from the list of holds (the page opened again), it says the same.
  await shop.reload();
  await expectText(checkout.getByRole('list', { name: 'Taxes in the total' }), /^incl\. VAT 20\s%: £12\.00$/);

  // Booked: the confirmation and My bookings say the same VAT under the total.
  await checkout.getByRole('button', { name: 'Confirm booking' }).click();
  const confirmation = shop.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await expectText(confirmation.getByTestId('booking-total'), /^£77\.00$/);
  await expectText(confirmation.getByTestId('tax-line'), /^incl\. VAT 20\s%: £12\.00$/);
  await shot(shop, '58-booked-with-vat');
  await shop.goto('/my-bookings');
  const booking = shop.getByTestId('booking').filter({ hasText: name });
  await expectText(booking.getByTestId('booking-total'), /^£77\.00$/);
  await expectText(booking.getByTestId('tax-line'), /^incl\. VAT 20\s%: £12\.00$/);
  await shot(shop, '59-my-bookings-vat');
  assert.deepEqual(shop.consoleErrors, []);
  await shop.context().close();
});
