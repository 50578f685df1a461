// A buyer who uses no mouse: from signing in, through the event list, to the booking's confirmation with the keyboard
// alone, the focus seen at every stop; and the checkout as a screen reader is given it (Chromium's accessibility tree),
// every control named.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { accessibilityTree, CONTROLS, dump, focused, named, said, tabTo } from '../keyboard.mjs';
import { ADMIN, api, createEvent, launch, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a customer books a free ticket from the event list to the confirmation with the keyboard alone, the focus visible at every stop', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const olga = await signupApi('Olga');
  const olgaId = (await api('GET', '/users/me', { token: olga.token })).id;
  await api('PATCH', `/users/${olgaId}`, { token: admin, json: { role: 'organizer' } });
  // Her seller's details: the checkout then offers an invoice, a checkbox and its fields to go past.
  await api('PUT', '/organizers/me/seller', { token: olga.token,
    json: { name: 'Olga Concerts', address: '3 Harbour Row\nGalway', country: 'IE', prefix: 'OC-' } });
  const event = await createEvent(olga.token, { name: unique('Keyboard recital'),
    categories: [{ name: 'General', price: '20.00', capacity: 10 }, { name: 'Standing', price: '0.00', capacity: 10 }] });
  const buyer = await signupApi('Kim');
  const page = await newPage(browser);

  // Signing in: the skip link first, then the form, sent with Enter.
  await page.goto('/login');
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await tabTo(page, named('a', 'Skip to content'), { most: 1 });
  await tabTo(page, named('input', 'Email'));
  await page.keyboard.type(buyer.email);
  await tabTo(page, named('input', 'Password'), { most: 1 });
  await page.keyboard.type(buyer.password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  // The event list: skip to the content, search for the event, then on to its link.
  await page.getByRole('heading', { name: 'Find your next night out' }).waitFor();
  await tabTo(page, named('a', 'Skip to content'));
  await page.keyboard.press('Enter');
  await tabTo(page, named('input', 'Search'));
  await page.keyboard.type(event.name);
  // The search is sent a moment after the typing stops, and its answer replaces the list: the link is tabbed to after.
  await page.waitForURL((url) => url.searchParams.get('q') === event.name);
  await page.getByRole('article').filter({ hasText: event.name }).waitFor();
  await page.getByRole('article').nth(1).waitFor({ state: 'detached' }); // only this one
  await shot(page, '150-keyboard-event-list');
  await tabTo(page, named('a', event.name));
  await page.keyboard.press('Enter');

  // The event: one free ticket by the arrow key, then Reserve (checked that Shift+Tab goes back the same way).
  await page.getByRole('heading', { name: event.name, level: 1 }).waitFor();
  await tabTo(page, named('input', 'Quantity, Standing'));
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.getByLabel('Quantity, Standing').inputValue(), '1');
  await shot(page, '151-keyboard-quantity');
  await tabTo(page, named('button', 'Reserve seats'));
  await tabTo(page, named('button', 'Have a voucher code?'), { back: true, most: 1 });
  await tabTo(page, named('button', 'Reserve seats'), { most: 1 });
  await page.keyboard.press('Space');

  // The checkout takes the focus: the buyer is told where they are, not sent back to the top of the page.
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="hold"]'));
  const atCheckout = await focused(page);
  assert.ok(atCheckout.ring, `no visible focus on ${said(atCheckout)} at the checkout`);

  // The invoice's fields opened with Space: the accessibility tree of the checkout names every control in it.
  const wanted = await tabTo(page, named('input', 'I need an invoice'));
  assert.ok(wanted.within.includes('hold'));
  await page.keyboard.press('Space');
  await checkout.getByRole('group', { name: 'Invoice details' }).waitFor();
  const nodes = await accessibilityTree(page);
  const unnamed = nodes.filter((n) => !n.ignored && CONTROLS.has(n.role?.value) && !(n.name?.value ?? '').trim());
  assert.deepEqual(unnamed.map((n) => `${n.role.value} (backend node ${n.backendDOMNodeId})`), [], 'controls without a name');
  const tree = dump(nodes, 'region', 'Your seats are held');
  writeFileSync(path.join(process.env.E2E_SCREENSHOTS ?? 'artifacts/screenshots', '152-checkout-accessibility-tree.txt'), `${tree}\n`);
  for (const control of ['checkbox "I need an invoice"', 'textbox "Your name"', 'combobox "Country', 'button "Confirm booking"', 'button "Release"']) {
    assert.ok(tree.includes(control), `the checkout's tree names ${control}:\n${tree}`);
  }
  await shot(page, '152-keyboard-checkout');
  await page.keyboard.press('Space'); // no invoice after all
  await checkout.getByRole('group', { name: 'Invoice details' }).waitFor({ state: 'detached' });

  // Confirmed with Enter: the confirmation takes the focus and shows the ticket.
  await tabTo(page, named('button', 'Confirm booking'));
  await page.keyboard.press('Enter');
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="booking-confirmation"]'));
  const atConfirmation = await focused(page);
  assert.ok(atConfirmation.ring, `no visible focus on ${said(atConfirmation)} at the confirmation`);
  assert.match(atConfirmation.name, /^✓ Booked: 1 × Standing/);
  assert.equal((await confirmation.getByTestId('ticket-code').allTextContents()).length, 1);
  await shot(page, '153-keyboard-confirmation');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
