// Run by `E2E_PAYMENTS=localstripe node e2e/run.mjs` with the other payments specs. A buyer who uses no mouse pays
// for a ticket: from the event list through the card field (localstripe's Stripe.js draws plain inputs) and a
// declined card to the confirmation, the focus seen at every stop; axe-core checks the checkout with its card field,
// the decline and the confirmation, which only an API taking payments shows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { failing, runAxe } from '../axe.mjs';
import { focused, named, said, tabTo } from '../keyboard.mjs';
import { ADMIN, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const CARD = [['number', null], ['exp_month', '12'], ['exp_year', '34'], ['cvc', '123'], ['postal_code', '75001']];

/** No serious or critical axe-core violation on the page as it stands (`where` names it in the failure). */
async function passesAxe(page, where) {
  const { violations } = await runAxe(page);
  assert.deepEqual(failing(violations), [], `axe at ${where}`);
}

/**
 * Tab through the card's fields, typing each over what was there (Ctrl+A, then the value). A field the card moved the
 * focus to itself once the one before it was complete is typed into where it is.
 */
async function typeCardByKeyboard(page, number, { back = false } = {}) {
  for (const [field, value] of CARD) {
    const wanted = (f) => f.tag === 'input' && f.name === field;
    if (!wanted(await focused(page))) await tabTo(page, wanted, { back, most: back ? 12 : 8 });
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value ?? number);
    back = false; // after the first field, forward
  }
}

test('a customer pays for a ticket with the keyboard alone, a declined card said and tried again, the focus visible at every stop', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, { name: unique('Keyboard paid night'),
    categories: [{ name: 'General', price: '20.00', capacity: 10 }] });
  const buyer = await signupApi('Kai');
  const page = await newPage(browser);
  await loginUi(page, buyer);

  // The event list: skip to the content, search for the event, then on to its link.
  await page.goto('/');
  await page.getByRole('heading', { name: 'Find your next night out' }).waitFor();
  await tabTo(page, named('a', 'Skip to content'));
  await page.keyboard.press('Enter');
  await tabTo(page, named('input', 'Search'));
  await page.keyboard.type(event.name);
  await page.waitForURL((url) => url.searchParams.get('q') === event.name);
  await page.getByRole('article').filter({ hasText: event.name }).waitFor();
  await page.getByRole('article').nth(1).waitFor({ state: 'detached' });
  await tabTo(page, named('a', event.name));
  await page.keyboard.press('Enter');

  // One paid ticket by the arrow key, then Reserve.
  await page.getByRole('heading', { name: event.name, level: 1 }).waitFor();
  await tabTo(page, named('input', 'Quantity, General'));
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.getByLabel('Quantity, General').inputValue(), '1');
  await tabTo(page, named('button', 'Reserve seats'));
  await page.keyboard.press('Enter');

  // The checkout takes the focus; the card's fields are reached with Tab, the decline card first.
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="hold"]'));
  await passesAxe(page, 'the checkout with its card field');
  await typeCardByKeyboard(page, '4000000000000002');
  const pay = await tabTo(page, (f) => f.tag === 'button' && /^Pay €\s?20\.00$/.test(f.name));
  assert.ok(pay.within.includes('hold'), `${said(pay)} is the checkout's`);
  await page.keyboard.press('Enter');
  await expectText(checkout.getByRole('alert'), /^Payment not madeYour card was declined\. Try another card or payment method\.$/);
  await shot(page, '170-keyboard-card-declined');
  await passesAxe(page, 'the checkout after a decline');

  // Another card, typed over the first from the keyboard, and paid with Enter.
  const afterDecline = await focused(page);
  assert.ok(afterDecline.tag === 'body' || afterDecline.ring, `no visible focus on ${said(afterDecline)} after the decline`);
  await typeCardByKeyboard(page, '4242424242424242', { back: true });
  await tabTo(page, (f) => f.tag === 'button' && /^Pay €\s?20\.00$/.test(f.name));
  await shot(page, '171-keyboard-card');
  await page.keyboard.press('Enter');

  // The confirmation takes the focus and shows the ticket.
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="booking-confirmation"]'));
  const atConfirmation = await focused(page);
  assert.ok(atConfirmation.ring, `no visible focus on ${said(atConfirmation)} at the confirmation`);
  assert.match(atConfirmation.name, /^✓ Booked: 1 × General/);
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 1);
  await shot(page, '172-keyboard-paid-confirmation');
  await passesAxe(page, 'the confirmation of a paid booking');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
