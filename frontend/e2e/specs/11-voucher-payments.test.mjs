// Run by `E2E_PAYMENTS=localstripe node e2e/run.mjs` (its name holds "payments"): the voucher's
// price is what the card is charged.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, download, expectText, launch, loginUi, newPage, PATIENCE_MS, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LONDON = { timezoneId: 'Europe/London', locale: 'en-GB' };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Type a card into localstripe's card field (its Stripe.js draws plain inputs). */
async function typeCard(page, number) {
  const field = page.getByTestId('card-field');
  await field.locator('input[placeholder="number"]').fill(number);
  await field.locator('input[placeholder="exp_month"]').fill('12');
  await field.locator('input[placeholder="exp_year"]').fill('34');
  await field.locator('input[placeholder="cvc"]').fill('123');
  await field.locator('input[placeholder="postal_code"]').fill('75001');
}

/** Until the text that describes a field to a screen reader (its aria-describedby) matches. */
async function expectDescription(field, pattern, timeout = PATIENCE_MS) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    const id = await field.getAttribute('aria-describedby');
    // The element it names may go as the page redraws (a hint gives way to an error): read again then.
    last = id ? ((await field.page().locator(`[id="${id}"]`).textContent({ timeout: 1_000 }).catch(() => null)) ?? '') : '';
    if (pattern.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected the field to be described as ${pattern}, last saw "${last}"`);
}

test("an organizer makes vouchers for a paid event; a buyer's wrong code holds nothing, the right one lowers the price they pay by card; the organizer sees its use and what it sold", async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const olga = await signupApi('Olga');
  const olgaId = (await api('GET', '/users/me', { token: olga.token })).id;
  await api('PATCH', `/users/${olgaId}`, { token: admin, json: { role: 'organizer' } });
  const event = await createEvent(olga.token, { name: unique('Voucher night'), timezone: 'Europe/London', categories: [
    { name: 'General', price: '25.00', capacity: 10 }, { name: 'VIP', price: '60.00', capacity: 4 }] });

  // The organizer finds the vouchers from the event's page and makes one by code: 20 % off General, 10 seats, until a
  // day at the venue's time.
  const office = await newPage(browser, DESKTOP, LONDON);
  await loginUi(office, olga);
  await office.goto(`/events/${event.id}`);
  await office.getByRole('region', { name: 'Manage this event' }).getByRole('link', { name: 'Vouchers' }).click();
  await office.getByRole('heading', { name: `Vouchers · ${event.name}` }).waitFor();
  const form = office.getByRole('form', { name: 'New voucher' });
  const until = `${new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)}T18:00`;
  await form.getByLabel('Code', { exact: true }).fill('early-bird');
  await form.getByLabel('Percent off').fill('20');
  await form.getByLabel('Tickets it may be used for').fill('10');
  await form.getByLabel('Valid until (optional)').fill(until);
  await form.getByRole('checkbox', { name: 'General' }).check();
  await form.getByLabel('Label (optional)').fill('early birds');
  await form.getByRole('button', { name: 'Make the voucher' }).click();
  await expectText(office.getByTestId('vouchers-made'), /^Voucher EARLY-BIRD made: 20 % off, for 10 tickets\.$/);
  const early = office.getByTestId('voucher-EARLY-BIRD');
  await expectText(early.getByTestId('voucher-uses'), /^0 of 10 seats used$/);
  await expectText(early, /Until \w{3}, \d{1,2} \w{3} \d{4}, 18:00 UTC\+[01] \(London\)/);
  const [made] = (await api('GET', `/events/${event.id}/vouchers`, { token: olga.token })).items;
  assert.equal(made.valid_until.slice(0, 10), until.slice(0, 10));

  // The same code again is refused at the code field.
  await form.getByLabel('Code', { exact: true }).fill('EARLY-BIRD');
  await form.getByLabel('Percent off').fill('10');
  await form.getByRole('button', { name: 'Make the voucher' }).click();
  await expectDescription(form.getByLabel('Code', { exact: true }), /exists on this event already/);
  await expectText(form.getByRole('alert'), /A voucher with that code exists already on this event\. Choose another code\./);

  // A batch of free passes for the press, handed out as a CSV.
  await form.getByRole('radio', { name: 'A batch of random codes' }).check();
  await form.getByLabel('How many codes').fill('3');
  await form.getByLabel('Prefix (optional)').fill('press-');
  await form.getByLabel('Discount').selectOption({ label: 'A set price for each ticket' });
  await form.getByLabel('Price (EUR)').fill('0');
  await form.getByLabel('Label (optional)').fill('press');
  await form.getByRole('button', { name: 'Make the codes' }).click();
  await expectText(office.getByTestId('vouchers-made'), /^3 codes made: €0\.00: free, for 1 ticket each\.$/);
  const codes = await office.getByRole('list', { name: 'Codes made' }).getByRole('listitem').allTextContents();
  assert.equal(codes.length, 3);
  codes.forEach((code) => assert.match(code, /^PRESS-[A-Z0-9]+$/));
  const dir = mkdtempSync(path.join(tmpdir(), 'vouchers-'));
  const file = await download(office, form.getByRole('button', { name: 'Download these codes (CSV)' }), dir);
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  assert.match(lines[0], /^code,discount,value,max_uses,redeemed/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), [...codes].sort()); // the batch's alone
  await office.getByTestId(`voucher-${codes[0]}`).waitFor(); // the list read again
  assert.equal(await office.getByRole('list', { name: 'Vouchers' }).getByRole('listitem').count(), 4);
  await shot(office, '110-organizer-vouchers');
  await office.setViewportSize(PHONE);
  await shot(office, '111-organizer-vouchers-390');
  await office.setViewportSize(DESKTOP);

  // The buyer: a code the event does not know is said at the field, and nothing is held.
  const page = await newPage(browser, DESKTOP, LONDON);
  const buyer = await signupApi('Vera');
  const buyerId = (await api('GET', '/users/me', { token: buyer.token })).id;
  await loginUi(page, buyer);
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Quantity, General').fill('1');
  await page.getByLabel('Quantity, VIP').fill('1');
  await page.getByRole('button', { name: 'Have a voucher code?' }).click();
  const voucher = page.getByLabel('Voucher code');
  await voucher.fill('NOPE-NOPE');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  await expectDescription(voucher, /^That voucher code is not known for this event\. Check how it is spelled\.$/);
  assert.equal(await voucher.getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await api('GET', `/users/${buyerId}/holds`, { token: buyer.token })).items, []);
  await shot(page, '112-voucher-refused');

  // Typed in any case, the right code prices the General seat; the VIP one keeps its price.
  await voucher.fill('early-bird');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  const [general, vip, ...more] = await checkout.getByRole('table', { name: 'Seats held' }).getByTestId('order-line').allTextContents();
  assert.match(general, /^General1 × was €25\.00 now €20\.00€20\.00$/);
  assert.match(vip, /^VIP1 × €60\.00€60\.00$/);
  assert.deepEqual(more, []);
  await expectText(checkout.getByTestId('hold-voucher'), /^EARLY-BIRD$/);
  await expectText(checkout.getByTestId('hold-discount'), /^−€5\.00$/);
  await expectText(checkout.getByTestId('hold-total'), /^€80\.00$/);
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  await shot(page, '113-checkout-voucher');
  await page.setViewportSize(PHONE);
  await shot(page, '114-checkout-voucher-390');
  await page.setViewportSize(DESKTOP);

  // Paid by card: the voucher's price is what the card is charged.
  await typeCard(page, '4242424242424242');
  await checkout.getByRole('button', { name: 'Pay €80.00' }).click();
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await expectText(confirmation.getByTestId('booking-total'), /^€80\.00$/);
  await expectText(confirmation.getByTestId('booking-list-total'), /^was €85\.00$/);
  await expectText(confirmation.getByTestId('booking-saving'), /€5\.00 off with your voucher/);
  await expectText(confirmation.getByRole('table', { name: 'Your order' }).getByTestId('order-line').first(), /^General1 × was €25\.00 now €20\.00/);
  await shot(page, '115-booked-with-voucher');
  const [hold] = (await api('GET', `/users/${buyerId}/holds`, { token: buyer.token })).items;
  const payment = await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token });
  assert.equal(payment.status, 'succeeded');
  assert.equal(payment.amount, '80.00');

  // My bookings: the price paid beside the list price.
  await page.goto('/my-bookings');
  const booking = page.getByTestId('booking').filter({ hasText: event.name });
  await expectText(booking.getByTestId('booking-total'), /^€80\.00$/);
  await expectText(booking.getByTestId('booking-list-total'), /^was €85\.00$/);
  await expectText(booking.getByTestId('payment-note'), /^Paid €80\.00\.$/);
  await shot(page, '116-my-bookings-voucher');
  assert.deepEqual(page.consoleErrors, []);

  // The organizer's list: one seat used, what the booking made and what the voucher took off.
  await office.reload();
  await expectText(early.getByTestId('voucher-uses'), /^1 of 10 seats used$/);
  await expectText(early.getByTestId('voucher-revenue'), /^€80\.00 in 1 booking$/);
  await expectText(early.getByTestId('voucher-discounts'), /^€5\.00$/);

  // Disabled (after a confirmation), it is refused to the next buyer.
  await early.getByRole('button', { name: 'Disable voucher EARLY-BIRD' }).click();
  const dialog = office.getByRole('dialog', { name: 'Disable voucher EARLY-BIRD?' });
  await expectText(dialog, /The ticket booked with it stays booked at its price\./);
  await dialog.getByRole('button', { name: 'Disable it' }).click();
  await expectText(early.locator('.badge'), /^disabled$/);
  assert.equal(await early.getByRole('button', { name: /Disable/ }).count(), 0);
  await shot(office, '117-voucher-disabled');
  assert.deepEqual(office.consoleErrors, []);
  await office.context().close();

  const late = await api('POST', `/events/${event.id}/holds`, {
    token: (await signupApi('Late')).token, json: { category: 'General', quantity: 1, voucher: 'EARLY-BIRD' },
  }).catch((error) => error);
  assert.match(String(late), /409 .*VOUCHER_DISABLED/);
  await page.context().close();
});
