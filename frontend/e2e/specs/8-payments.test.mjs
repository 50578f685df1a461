// Run by `E2E_PAYMENTS=localstripe node e2e/run.mjs` alone: an API that takes payments through
// localstripe, a real Stripe API on 127.0.0.1, whose Stripe.js draws the card field here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Type a card into localstripe's card field (its Stripe.js draws plain inputs). */
async function typeCard(page, number) {
  const field = page.getByTestId('card-field');
  await field.locator('input[placeholder="number"]').fill(number);
  await field.locator('input[placeholder="exp_month"]').fill('12');
  await field.locator('input[placeholder="exp_year"]').fill('34');
  await field.locator('input[placeholder="cvc"]').fill('123');
  await field.locator('input[placeholder="postal_code"]').fill('75001');
}

test('a buyer holds two seats, a declined card books nothing, pays by card and gets the tickets; the organizer refunds one and the buyer sees it', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Paid night'), categories: [{ name: 'General', price: '25.00', capacity: 10 }] });

  const page = await newPage(browser);
  const buyer = await signupApi('Payer');
  await loginUi(page, buyer);
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Tickets', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  await expectText(checkout.getByTestId('hold-total'), /50\.00/);
  // Paid seats are paid for: no confirmation by a click.
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  assert.equal(await checkout.getByRole('button', { name: 'Confirm booking' }).count(), 0);

  await typeCard(page, '4000000000000341'); // declined when charged
  await checkout.getByRole('button', { name: /^Pay / }).click();
  await expectText(checkout.getByRole('alert'), /declined/i);
  await shot(page, '80-payment-declined');

  await typeCard(page, '4242424242424242');
  await shot(page, '81-card-payment');
  await checkout.getByRole('button', { name: /^Pay / }).click();
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 2);
  await shot(page, '82-paid-booking');

  // The ledger's record of it: one payment, succeeded, for the hold's total, that made the booking.
  const [hold] = (await api('GET', `/users/${(await api('GET', '/users/me', { token: buyer.token })).id}/holds`, { token: buyer.token })).items;
  const payment = await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token });
  assert.equal(payment.status, 'succeeded');
  assert.equal(payment.amount, '50.00');
  assert.equal(payment.booking_id, hold.booking_id);
  assert.deepEqual(page.consoleErrors.filter((e) => !/402/.test(e)), []);

  // The event's organizer (the admin here) refunds one of the two tickets, saying why.
  const office = await newPage(browser);
  await loginUi(office, ADMIN);
  await office.goto(`/admin/events/${event.id}/bookings`);
  const row = office.getByTestId(`booking-${hold.booking_id}`);
  await row.getByRole('button', { name: /^Refund ticket / }).first().click();
  await office.getByLabel('Reason (the customer sees it)').fill('One seat is behind a pillar');
  await office.getByRole('button', { name: 'Refund the ticket' }).click();
  await expectText(office.getByTestId('refund-outcome'), /refunded: €\s?25\.00 given back/);
  await expectText(row, /refunded/);
  await shot(office, '84-ticket-refunded');
  const refunded = await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token });
  assert.equal(refunded.refunded, '25.00');
  assert.deepEqual(office.consoleErrors, []);
  await office.context().close();

  // The buyer reads it in their bookings: one ticket refunded, the other still valid.
  await page.goto('/my-bookings');
  await expectText(page.getByTestId('refunded-tickets'), /1 ticket was cancelled and refunded \(€\s?25\.00\)/);
  await shot(page, '85-buyer-sees-refund');
});

test('a card that asks for 3-D Secure is authenticated in Stripe.js, and the seats are booked', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Secure night'), categories: [{ name: 'General', price: '40.00', capacity: 4 }] });

  const page = await newPage(browser);
  await loginUi(page, await signupApi('Secure'));
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Tickets', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  await typeCard(page, '4000002500003155'); // asks for 3-D Secure
  await checkout.getByRole('button', { name: /^Pay / }).click();
  // localstripe's Stripe.js shows its own authentication dialog, as Stripe's would.
  const complete = page.getByRole('button', { name: 'Complete authentication' });
  await complete.waitFor();
  await shot(page, '83-3d-secure');
  await complete.click();
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 1);
  assert.deepEqual(page.consoleErrors, []);
});
