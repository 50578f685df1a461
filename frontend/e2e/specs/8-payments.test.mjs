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

test('a buyer holds seats in two categories as one order, a declined card books nothing, pays by card and gets one booking with the tickets of both; the organizer refunds one and the buyer sees it', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Paid night'), categories: [
    { name: 'General', price: '25.00', capacity: 10 }, { name: 'VIP', price: '60.00', capacity: 4 }] });

  const page = await newPage(browser);
  const buyer = await signupApi('Payer');
  await loginUi(page, buyer);
  await page.goto(`/events/${event.id}`);
  // A quantity per category: 2 General and 1 VIP make one order, its total running as they are picked.
  await page.getByLabel('Quantity, General').fill('2');
  await expectText(page.getByTestId('order-total'), /€\s?50\.00 · 2 tickets$/);
  await page.getByLabel('Quantity, VIP').fill('1');
  await expectText(page.getByTestId('order-total'), /€\s?110\.00 · 3 tickets in 2 categories/);
  await shot(page, '79-order-two-categories');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  // Each line, its seats at their price, then the total.
  const held = checkout.getByRole('table', { name: 'Seats held' }).getByTestId('order-line');
  const [general, vip, ...more] = await held.allTextContents();
  assert.match(general, /^General2 × €\s?25\.00€\s?50\.00$/);
  assert.match(vip, /^VIP1 × €\s?60\.00€\s?60\.00$/);
  assert.deepEqual(more, []);
  await expectText(checkout.getByTestId('hold-total'), /110\.00/);
  // Paid seats are paid for: no confirmation by a click.
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  assert.equal(await checkout.getByRole('button', { name: 'Confirm booking' }).count(), 0);

  await typeCard(page, '4000000000000002'); // the decline card everyone knows
  await checkout.getByRole('button', { name: /^Pay / }).click();
  // Said once, with what to try next; the code only folded away for support.
  await expectText(checkout.getByRole('alert'), /^Payment not madeYour card was declined\. Try another card or payment method\.$/);
  await shot(page, '80-card-declined');
  await page.reload(); // the hold stays the buyer's
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  await typeCard(page, '4000000000000341'); // declined when charged
  await checkout.getByRole('button', { name: /^Pay / }).click();
  await expectText(checkout.getByRole('alert'), /^Payment not madeYour card was declined\. Try another card or payment method\.$/);
  await expectText(checkout.getByTestId('error-support'), /PAYMENT_DECLINED/);
  await shot(page, '80-payment-declined');

  await typeCard(page, '4242424242424242');
  await shot(page, '81-card-payment');
  await checkout.getByRole('button', { name: /^Pay €\s?110\.00$/ }).click();
  // One booking: the receipt names both lines and their total, and the tickets of each.
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await expectText(confirmation.getByRole('heading'), /Booked: 2 × General, 1 × VIP/);
  const receipt = confirmation.getByRole('table', { name: 'Your order' });
  assert.equal(await receipt.getByTestId('order-line').count(), 2);
  await expectText(confirmation.getByTestId('booking-total'), /€\s?110\.00/);
  assert.deepEqual(await confirmation.getByTestId('ticket-category').allTextContents(), ['General', 'General', 'VIP']);
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 3);
  await shot(page, '82-paid-booking');

  // The ledger's record of it: one payment, succeeded, for the hold's total, that made the one booking.
  const me = await api('GET', '/users/me', { token: buyer.token });
  const [hold] = (await api('GET', `/users/${me.id}/holds`, { token: buyer.token })).items;
  const payment = await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token });
  assert.equal(payment.status, 'succeeded');
  assert.equal(payment.amount, '110.00');
  assert.equal(payment.booking_id, hold.booking_id);
  const { items: bookings } = await api('GET', `/users/${me.id}/bookings`, { token: buyer.token });
  assert.equal(bookings.length, 1);
  // No voucher: no list price beside the price paid.
  assert.deepEqual(bookings[0].lines, [
    { category: 'General', quantity: 2, unit_price: '25.00', list_price: null, unit_tax: null, tax_name: null, tax_rate: null },
    { category: 'VIP', quantity: 1, unit_price: '60.00', list_price: null, unit_tax: null, tax_name: null, tax_rate: null }]);
  assert.equal(bookings[0].total_amount, '110.00');
  assert.deepEqual(page.consoleErrors.filter((e) => !/402/.test(e)), []);

  // The event's organizer (the admin here) refunds the VIP ticket, saying why: its own line's price goes back.
  const office = await newPage(browser);
  await loginUi(office, ADMIN);
  await office.goto(`/admin/events/${event.id}/bookings`);
  const row = office.getByTestId(`booking-${hold.booking_id}`);
  await expectText(row.getByTestId('booking-line').first(), /General × 2 at €\s?25\.00/);
  await expectText(row.getByTestId('booking-line').nth(1), /VIP × 1 at €\s?60\.00/);
  await row.locator('.mini-ticket').filter({ hasText: 'VIP' }).getByRole('button', { name: /^Refund ticket / }).click();
  await expectText(office.getByRole('dialog', { name: 'Refund this ticket?' }), /\(VIP, €\s?60\.00\)/);
  await office.getByLabel('Reason (the customer sees it)').fill('One seat is behind a pillar');
  await shot(office, '84-refund-dialog');
  await office.getByRole('button', { name: 'Refund the ticket' }).click();
  await expectText(office.getByTestId('refund-outcome'), /refunded: €\s?60\.00 given back/);
  // The ticket is cancelled, with what went back: the words the buyer reads too.
  const vipTicket = row.locator('.mini-ticket').filter({ hasText: 'VIP' });
  await expectText(vipTicket.locator('.badge'), /^cancelled$/);
  await expectText(vipTicket.getByTestId('ticket-refund'), /^€\s?60\.00 refunded$/);
  await shot(office, '84-ticket-refunded');
  const refunded = await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token });
  assert.equal(refunded.refunded, '60.00');
  assert.deepEqual(office.consoleErrors, []);
  await office.context().close();

  // The buyer reads it in their bookings: the one booking with both lines, the VIP ticket refunded, the others valid.
  await page.goto('/my-bookings');
  const booking = page.getByTestId('booking').filter({ hasText: event.name });
  await expectText(booking.getByTestId('booking-lines'), /^2 × General, 1 × VIP$/);
  await expectText(booking.getByTestId('refunded-tickets'), /^1 ticket was cancelled \(€\s?60\.00 refunded\); the other 2 stay valid\.$/);
  await expectText(booking.locator('.chip--cancelled'), /VIP/);
  await expectText(booking.locator('.chip--cancelled').getByTestId('ticket-refund'), /^€\s?60\.00 refunded$/);
  assert.equal(await booking.locator('.chip--active').count(), 2);
  await shot(page, '85-buyer-sees-refund');
  // Cancelling the rest lists only what still stands, and what comes back for it.
  await booking.getByRole('button', { name: 'Cancel booking' }).click();
  const cancelling = page.getByRole('dialog', { name: 'Cancel this booking?' });
  await expectText(cancelling.getByTestId('cancel-what'), /^2 × General \(€\s?50\.00\)\./);
  await expectText(cancelling.getByTestId('cancel-refund'), /^You get €\s?50\.00 back\./);
  await shot(page, '85-buyer-cancels-the-rest');
  await cancelling.getByRole('button', { name: 'Keep it' }).click();
});

test('a card that asks for 3-D Secure is authenticated in Stripe.js, and the seats are booked', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Secure night'), categories: [{ name: 'General', price: '40.00', capacity: 4 }] });

  const page = await newPage(browser);
  await loginUi(page, await signupApi('Secure'));
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Quantity, General').fill('1');
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

test('an organizer lets an event take bank transfers; a buyer books by transfer and is given a reference; the organizer marks the money received', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Transfer night'), categories: [{ name: 'General', price: '30.00', capacity: 6 }] });

  // The organizer ticks the bank transfer beside the card, the server's default.
  const office = await newPage(browser);
  await loginUi(office, ADMIN);
  await office.goto(`/admin/events/${event.id}/edit`);
  const methods = office.getByRole('group', { name: 'How buyers may pay' });
  assert.equal(await methods.getByRole('checkbox', { name: /Card/ }).isChecked(), true);
  assert.equal(await methods.getByRole('checkbox', { name: /Bank transfer/ }).isChecked(), false);
  await methods.getByRole('checkbox', { name: /Bank transfer/ }).check();
  await shot(office, '86-event-payment-methods');
  await office.getByRole('button', { name: 'Save changes' }).click();
  for (let i = 0; i < 50; i += 1) {
    if ((await api('GET', `/events/${event.id}`)).payment_methods?.includes('offline')) break;
    await office.waitForTimeout(100);
  }
  assert.deepEqual((await api('GET', `/events/${event.id}`)).payment_methods, ['stripe', 'offline']);

  // The buyer chooses the transfer: booked at once, the amount and the reference to quote shown.
  const page = await newPage(browser);
  const buyer = await signupApi('Transferer');
  await loginUi(page, buyer);
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Quantity, General').fill('2');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.getByRole('radio', { name: 'Bank transfer' }).click();
  assert.equal(await checkout.getByTestId('card-field').count(), 0);
  await checkout.getByRole('button', { name: 'Book and pay by bank transfer' }).click();
  const confirmation = page.getByTestId('booking-confirmation');
  await expectText(confirmation.getByTestId('transfer-amount'), /€\s?60\.00/);
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 2);
  const reference = (await confirmation.getByTestId('transfer-reference').textContent()).trim();
  assert.match(reference, /^BT-[A-Z2-9]{8}$/);
  await shot(page, '87-booked-by-transfer');
  const me = await api('GET', '/users/me', { token: buyer.token });
  const [hold] = (await api('GET', `/users/${me.id}/holds`, { token: buyer.token })).items;
  assert.equal((await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token })).status, 'awaiting_payment');

  // The organizer finds it by its reference and marks the money received.
  await office.goto(`/admin/events/${event.id}/bookings`);
  const row = office.getByTestId(`booking-${hold.booking_id}`);
  await expectText(row.getByTestId('payment'), new RegExp(`Awaiting payment: €\\s?60\\.00 by bank transfer, reference ${reference}`));
  await row.getByRole('button', { name: 'Mark received' }).click();
  const dialog = office.getByRole('dialog');
  assert.equal(await dialog.getByLabel(/Reference/).inputValue(), reference);
  await dialog.getByRole('button', { name: 'Mark paid' }).click();
  await expectText(row.getByTestId('payment'), /Paid €\s?60\.00 at the door or by transfer/);
  await shot(office, '88-transfer-received');
  assert.equal((await api('GET', `/holds/${hold.id}/payment`, { token: buyer.token })).status, 'succeeded');
  assert.deepEqual(page.consoleErrors, []);
  assert.deepEqual(office.consoleErrors, []);
  await office.context().close();
});
