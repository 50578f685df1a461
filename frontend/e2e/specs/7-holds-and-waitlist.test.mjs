import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// run.mjs sets HOLD_INTERVAL_SECONDS=1: holds due expire, and seats back on sale are offered to
// the place ranked first, within about a second (then the projections and the live stream).
const OFFER_WITHIN_MS = 12_000;

/** The checkout's countdown in seconds ("09:58" -> 598). */
const secondsLeft = async (page) => {
  const [minutes, seconds] = ((await page.getByRole('timer').textContent()) ?? '').split(':').map(Number);
  return minutes * 60 + seconds;
};

test('a customer reserves seats, sees the countdown, confirms; a second one takes a place on the waitlist, gets the seats offered live when a booking is cancelled, and confirms', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Small room'), categories: [{ name: 'General', price: '30.00', capacity: 2 }] });

  // (a) Ada reserves both seats: they are held, with a countdown, out of sale; she confirms.
  const ada = await newPage(browser);
  await loginUi(ada, await signupApi('Ada'));
  await ada.goto(`/events/${event.id}`);
  await expectText(ada.getByTestId('left-General'), /^2 \/ 2$/);
  await ada.getByLabel('Quantity, General').fill('2');
  await ada.getByText('Reserved seats are yours for 10 minutes while you confirm.').waitFor();
  await ada.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = ada.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  await expectText(checkout.getByTestId('hold-seats'), /^2 × General$/);
  await expectText(checkout.getByTestId('hold-total'), /60\.00/);
  const first = await secondsLeft(ada);
  assert.ok(first > 590 && first <= 600, `a fresh hold has about 10 minutes left: ${first} s`);
  await expectText(ada.getByTestId('left-General'), /^Sold out$/); // held seats are out of sale, live
  await expectText(ada.getByTestId('demand-General'), /^2 held at checkout$/);
  await ada.waitForTimeout(2_100);
  const later = await secondsLeft(ada);
  assert.ok(later <= first - 2, `the countdown runs: ${first} s, then ${later} s`);
  await shot(ada, '70-hold-checkout');
  await checkout.getByRole('button', { name: 'Confirm booking' }).click();
  const confirmation = ada.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 2);
  // Sold now, no longer held: the live update may come after the confirmation's answer (on
  // PostgreSQL, once the worker has projected it).
  await ada.getByTestId('demand-General').waitFor({ state: 'detached' });
  await shot(ada, '71-hold-confirmed');

  // (b) Bruno finds it sold out and joins the waitlist; his place is ranked #1.
  const bruno = await newPage(browser);
  await loginUi(bruno, await signupApi('Bruno'));
  await bruno.goto(`/events/${event.id}`);
  await expectText(bruno.getByTestId('sold-out'), /^General is sold out\. Join the waitlist/);
  await bruno.getByRole('button', { name: 'Join the waitlist' }).click();
  await expectText(bruno.getByTestId('place-rank'), /^You are #1 on the waitlist$/);
  await bruno.getByRole('button', { name: 'Leave the waitlist' }).waitFor();
  await expectText(bruno.getByTestId('demand-General'), /^1 on the waitlist$/);
  await bruno.evaluate(() => { window.__notReloaded = true; });
  await shot(bruno, '72-waitlist');

  // His place shows in My bookings too (in another tab).
  const brunoBookings = await bruno.context().newPage();
  await brunoBookings.goto('/my-bookings');
  const waitlists = brunoBookings.getByRole('region', { name: 'Holds and waitlists' });
  await expectText(waitlists.getByTestId('place-item'), /You are #1 on the waitlist.*Small room/);
  await shot(brunoBookings, '73-my-holds-and-waitlists');
  await brunoBookings.close();

  // Ada cancels her booking: its seats are owed to the waitlist, and offered to Bruno, live.
  await ada.getByRole('link', { name: 'See my bookings' }).click();
  const booking = ada.getByTestId('booking').filter({ hasText: event.name });
  await booking.getByRole('button', { name: 'Cancel booking' }).click();
  await ada.getByRole('dialog', { name: 'Cancel this booking?' }).getByRole('button', { name: 'Yes, cancel it' }).click();
  await expectText(booking.locator('.badge').first(), /cancelled/i);

  const cancelledAt = Date.now();
  const offer = bruno.getByRole('region', { name: 'Seats are available for you' });
  await offer.waitFor({ timeout: OFFER_WITHIN_MS });
  console.log(`  offer shown ${Date.now() - cancelledAt} ms after the cancellation`);
  assert.equal(await bruno.evaluate(() => window.__notReloaded), true, 'the offer came without a reload');
  await expectText(offer.getByTestId('hold-seats'), /^1 × General$/);
  const offered = await secondsLeft(bruno);
  assert.ok(offered > 580 && offered <= 600, `an offer has about 10 minutes: ${offered} s`);
  assert.equal(await bruno.getByTestId('place-rank').count(), 0);
  await shot(bruno, '74-offer-live');
  await offer.getByRole('button', { name: 'Confirm booking' }).click();
  await bruno.getByTestId('booking-confirmation').getByTestId('ticket-code').waitFor();
  await bruno.getByRole('link', { name: 'See my bookings' }).click();
  await bruno.getByTestId('booking').filter({ hasText: event.name }).getByText('1 × General').waitFor();
  assert.equal(await bruno.getByRole('region', { name: 'Holds and waitlists' }).count(), 0); // nothing pending left
  await shot(bruno, '75-offer-booked');

  assert.deepEqual(ada.consoleErrors, []);
  assert.deepEqual(bruno.consoleErrors, []);
  for (const page of [ada, bruno]) await page.context().close();
});

test('a hold left unconfirmed expires: the page says so, and its seats go back on sale', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Quick sale'), hold_seconds: 5, categories: [{ name: 'General', price: '12.00', capacity: 3 }] });
  const page = await newPage(browser);
  await loginUi(page, await signupApi('Cleo'));
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Quantity, General').fill('3');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  await page.getByRole('timer').waitFor();
  await expectText(page.getByTestId('left-General'), /^Sold out$/);
  await expectText(page.getByTestId('hold-ended'), /^Your hold expired; the seats went back on sale\.$/, 10_000);
  assert.equal(await page.getByRole('button', { name: 'Confirm booking' }).count(), 0);
  await expectText(page.getByTestId('left-General'), /^3 \/ 3$/); // the scheduler expired it, live
  await shot(page, '76-hold-expired');
  await page.getByRole('button', { name: 'Start again' }).click();
  await page.getByRole('button', { name: 'Reserve seats' }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a buyer who releases a hold reserves another quantity at once; a second release so soon is a chain, and the page says until when', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Change of mind'), categories: [{ name: 'General', price: '15.00', capacity: 5 }] });
  const page = await newPage(browser);
  await loginUi(page, await signupApi('Dario'));
  await page.goto(`/events/${event.id}`);
  for (const quantity of ['2', '3']) { // the second reserved at once, after the first release
    await page.getByLabel('Quantity, General').fill(quantity);
    await page.getByRole('button', { name: 'Reserve seats' }).click();
    await page.getByRole('timer').waitFor();
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByRole('button', { name: 'Reserve seats' }).waitFor();
  }
  await expectText(page.getByTestId('left-General'), /^5 \/ 5$/);
  await page.getByLabel('Quantity, General').fill('1');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'reserve seats again' });
  await expectText(refused, /you can reserve seats again from .*\d+:\d\d.*, or book them now\./); // a time in the buyer's zone
  await shot(page, '77-hold-too-soon');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
