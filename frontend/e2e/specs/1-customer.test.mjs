import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, BASE, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a customer signs up, books 2 seats, sees the codes and seats drop, cancels and sees them return', async () => {
  const event = await createEvent(await token(ADMIN.email, ADMIN.password), { name: unique('Jazz night') });
  const page = await newPage(browser);

  await page.goto('/');
  await page.getByRole('heading', { name: 'Find your next night out' }).waitFor();
  await page.getByRole('link', { name: event.name }).waitFor();
  await shot(page, '01-events-list');

  await page.getByRole('link', { name: 'Sign up' }).first().click();
  await page.getByLabel('Name').fill('Carla Customer');
  const email = `${unique('carla')}@e2e.test`;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('Use at least 8 characters.').waitFor(); // validated before sending
  await shot(page, '02-signup-validation');
  await page.getByLabel('Password').fill('password-123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  await page.getByRole('link', { name: event.name }).click();
  const general = page.getByTestId('left-General');
  await expectText(general, /^10 \/ 10$/);
  await page.getByLabel('Quantity, General').fill('11');
  await page.getByText('Only 10 left in this category.').waitFor();
  await page.getByLabel('Quantity, General').fill('2');
  await shot(page, '03-event-page');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  await page.getByRole('region', { name: 'Your seats are held' }).waitFor(); // held at checkout
  await page.getByRole('button', { name: 'Confirm booking' }).click();

  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  const codes = await confirmation.getByTestId('ticket-code').allTextContents();
  assert.equal(codes.length, 2);
  assert.ok(codes.every((c) => c.length >= 8), `ticket codes: ${codes}`);
  await confirmation.getByRole('img', { name: /QR code of ticket/ }).first().waitFor();
  await expectText(general, /^8 \/ 10$/);
  // Where the tickets went: the buyer's own address. The proof is offered once a signed head covers the booking,
  // and said to come shortly before: never a download that fails.
  await expectText(confirmation.getByTestId('tickets-emailed'), new RegExp(`^Your tickets were e-mailed to ${email.replace(/\./g, '\\.')}, as a PDF`));
  await expectText(confirmation.getByTestId('booking-proof'), /^(A proof of this booking, a file anyone can check, will be ready to download here shortly\.|Download proof of booking)$/);
  await shot(page, '04-booking-confirmation');

  await page.getByRole('link', { name: 'See my bookings' }).click();
  const booking = page.getByTestId('booking').filter({ hasText: event.name });
  await booking.waitFor();
  for (const code of codes) await booking.getByText(code).waitFor();
  await shot(page, '05-my-bookings');
  await booking.getByRole('button', { name: 'Cancel booking' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
  await dialog.waitFor();
  await expectText(dialog.getByTestId('cancel-what'), /^2 × General \(€\s?50\.00\)\. Its tickets stop working/);
  await expectText(dialog.getByTestId('cancel-refund'), /^Nothing was paid for it, so nothing is refunded\./);
  await shot(page, '06-cancel-confirmation');
  await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expectText(booking.locator('.badge').first(), /cancelled/i);
  await shot(page, '07-my-bookings-cancelled');

  await booking.getByRole('link', { name: event.name }).click();
  await expectText(page.getByTestId('left-General'), /^10 \/ 10$/);

  // The account page, from the name in the header: a new password; this session continues.
  await page.getByRole('link', { name: /Carla Customer/ }).click();
  await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
  await page.getByRole('definition').filter({ hasText: email }).waitFor();
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill('new-password-456');
  await page.getByLabel('Confirm new password').fill('new-password-456');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('The current password is wrong').waitFor();
  await page.getByLabel('Current password').fill('password-123');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password was changed.', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('New password', { exact: true }).inputValue(), '');
  await shot(page, '18-account-password-changed');
  await page.getByRole('link', { name: 'My bookings' }).click(); // still signed in, with the new token
  await page.getByTestId('booking').filter({ hasText: event.name }).waitFor();
  const old = await fetch(`${BASE}/api/auth/token`, { method: 'POST', body: new URLSearchParams({ username: email, password: 'password-123' }) });
  assert.equal(old.status, 401);

  // Signing in again takes the new password.
  await page.getByRole('button', { name: 'Log out' }).click();
  await loginUi(page, { email, password: 'new-password-456' });
  await page.getByRole('link', { name: /Carla Customer/ }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('on a phone: the last seat taken elsewhere shows sold out live; a network drop shows an error with a retry', async () => {
  const event = await createEvent(await token(ADMIN.email, ADMIN.password), { name: unique('Tiny gig'), categories: [{ name: 'General', price: '5.00', capacity: 1 }] });
  const page = await newPage(browser, { width: 390, height: 844 }); // a phone
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Phone User');
  await page.getByLabel('Email').fill(`${unique('phone')}@e2e.test`);
  await page.getByLabel('Password').fill('password-123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => url.pathname === '/'); // signed up and in
  await page.goto(`/events/${event.id}`);
  await page.getByRole('button', { name: 'Reserve seats' }).waitFor();
  // Someone else takes the last seat meanwhile: the page turns to the waitlist, live.
  const otherToken = (await signupApi('Other')).token;
  await api('POST', `/events/${event.id}/book`, { token: otherToken, json: { quantity: 1 } });
  await expectText(page.getByTestId('sold-out'), /^General is sold out\. Join the waitlist/); // live
  await page.getByRole('button', { name: 'Join the waitlist' }).waitFor();
  await shot(page, '08-mobile-sold-out');

  // The network drops: the page says so plainly and recovers on "Try again".
  await page.context().setOffline(true);
  await page.getByRole('link', { name: '← All events' }).click();
  await page.getByRole('alert').filter({ hasText: 'Network problem' }).waitFor({ timeout: 20_000 });
  await shot(page, '17-mobile-network-down');
  await page.context().setOffline(false);
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'Find your next night out' }).waitFor();
  await page.getByRole('article').first().waitFor();
  await page.context().close();
});
