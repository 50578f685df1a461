// Forgetting a person: a buyer deletes their own account from My account (the dialog with the keyboard alone), an
// admin erases another buyer from the users page, an organizer forgets a buyer of theirs alone from an event's bookings
// (the keyboard alone, a buyer of others too refused in the dialog); what stays (the booking, counted) names "erased",
// and no e-mail.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { failing, runAxe } from '../axe.mjs';
import { focused, named, said, tabTo } from '../keyboard.mjs';
import {
  ADMIN, afterReloads, api, BASE, createEvent, download, expectText, launch, loginUi, newPage, searchFor, shot,
  signupApi, token, unique,
} from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a buyer downloads their data, deletes their account with the keyboard, and cannot sign in again; the booking stays counted, naming "erased"', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(adminToken, { name: unique('Farewell gig') });
  const buyer = await signupApi('Fenna');
  const booking = await api('POST', `/events/${event.id}/book`, { token: buyer.token, json: { category: 'General', quantity: 2 },
    headers: { 'Idempotency-Key': unique('key') } });

  const page = await newPage(browser);
  await loginUi(page, buyer);
  await page.goto('/account');
  await page.getByRole('heading', { name: 'Delete my account', level: 2 }).waitFor();

  // Their data first, as the section advises: the account as it is, with the booking.
  const dir = mkdtempSync(path.join(tmpdir(), 'erasure-'));
  const file = await download(page, page.getByRole('button', { name: 'Download my data' }), dir);
  const data = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(data.account.email, buyer.email);
  assert.deepEqual(data.bookings.map((b) => b.id), [booking.id]);

  // The dialog by the keyboard: it takes the focus to the password, Escape gives it back to the button.
  await tabTo(page, named('button', 'Delete my account…'));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete your account for good?' });
  await dialog.waitFor();
  let now = await focused(page);
  assert.equal(said(now), 'input "Your password"');
  assert.ok(now.ring, 'the password field shows its focus');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  now = await focused(page);
  assert.equal(said(now), 'button "Delete my account…"');

  // A wrong password is said on the field, which keeps the focus.
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.type('not-my-password');
  await page.keyboard.press('Enter');
  const password = dialog.getByLabel('Your password');
  await expectText(dialog.locator('.field__error'), /^The password is wrong\.$/);
  assert.equal(await password.getAttribute('aria-invalid'), 'true');
  assert.equal(said(await focused(page)), 'input "Your password"');
  const { violations } = await runAxe(page);
  assert.deepEqual(failing(violations), [], 'the account page with the dialog open');
  await shot(page, '180-delete-account-dialog');
  // On a phone the dialog fits the width: nothing to scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await dialog.evaluate((d) => d.getBoundingClientRect().right <= 390 && d.scrollWidth <= d.clientWidth), 'the dialog fits 390 px');
  await page.setViewportSize({ width: 1280, height: 860 });

  // The right one: the account is gone, this browser signed out, and the page says so.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(buyer.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your account was deleted', level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/account/deleted');
  await page.getByRole('link', { name: 'Log in' }).first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);

  // Signing in again: no such account any more.
  await page.goto('/login');
  await page.getByLabel('Email').fill(buyer.email);
  await page.getByLabel('Password').fill(buyer.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'That e-mail and password do not match an account.' }).waitFor();
  const again = await fetch(`${BASE}/api/auth/token`, { method: 'POST', body: new URLSearchParams({ username: buyer.email, password: buyer.password }) });
  assert.equal(again.status, 401);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();

  // The event's bookings: the booking still there and counted, naming "erased".
  const admin = await newPage(browser);
  await loginUi(admin, ADMIN);
  await admin.goto(`/admin/events/${event.id}/bookings`);
  const row = admin.getByTestId(`booking-${booking.id}`);
  await afterReloads(admin, row, /erased/);
  await expectText(row, /confirmed/);
  assert.equal(await admin.getByText('Fenna').count(), 0);
  await admin.goto('/admin');
  await expectText(admin.getByTestId(`stats-${event.name}`).getByTestId('tickets'), /^2$/);
  assert.deepEqual(admin.consoleErrors, []);
  await admin.context().close();
});

test('an admin downloads a buyer\'s data and erases them from the users page: the user reads "erased", with no e-mail', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(adminToken, { name: unique('Harbour session') });
  const buyer = await signupApi('Gustav');
  const buyerId = (await api('GET', '/users/me', { token: buyer.token })).id;
  await api('POST', `/events/${event.id}/book`, { token: buyer.token, json: { category: 'VIP', quantity: 1 },
    headers: { 'Idempotency-Key': unique('key') } });

  const page = await newPage(browser);
  await loginUi(page, ADMIN);
  await page.goto('/admin/users');
  const search = page.getByRole('search', { name: 'Find users' }).getByLabel('Search users');
  await searchFor(search, buyer.email, page.locator('[data-testid^="user-"]'));
  const row = page.getByTestId(`user-${buyer.email}`);

  // Their data, for a request received by mail.
  const dir = mkdtempSync(path.join(tmpdir(), 'erasure-'));
  const file = await download(page, row.getByRole('button', { name: 'Download their data (Gustav)' }), dir);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).account.email, buyer.email);
  await page.getByText(`Saved as ${path.basename(file)}.`).waitFor();

  // Asked first, naming them and what stays.
  await row.getByRole('button', { name: 'Erase personal data (Gustav)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Erase the personal data of Gustav?' });
  await dialog.waitFor();
  await expectText(dialog, new RegExp(`Their name and e-mail address \\(${buyer.email.replace(/\./g, '\\.')}\\) are forgotten everywhere`));
  await expectText(dialog, /Their bookings, payments and invoices stay, naming nobody.*It cannot be undone\./);
  assert.equal(said(await focused(page)), 'button "Not now"'); // a stray Enter forgets no one
  await dialog.getByRole('button', { name: 'Yes, erase' }).click();
  await page.getByText('The personal data of Gustav was erased.').waitFor();
  await dialog.waitFor({ state: 'hidden' });

  // Found again by the word the list shows for them: no name, no address.
  await search.fill('erased');
  const erased = page.getByTestId(`user-${buyerId}`);
  await erased.waitFor();
  await page.getByTestId(`user-${ADMIN.email}`).waitFor({ state: 'detached' }); // the search answered
  await expectText(erased.getByRole('rowheader'), /^erased$/);
  await expectText(erased.getByRole('cell').first(), /^—no e-mail address$/);
  assert.equal(await erased.getByRole('button', { name: /Erase personal data/ }).count(), 0);
  assert.equal(await page.getByTestId(`user-${buyer.email}`).count(), 0);
  await shot(page, '181-admin-erased-user');

  const listed = await api('GET', `/users?q=erased&limit=100`, { token: adminToken });
  const answer = listed.items.find((u) => u.id === buyerId);
  assert.deepEqual([answer.name, answer.email], ['erased', null]);
  const refused = await fetch(`${BASE}/api/auth/token`, { method: 'POST', body: new URLSearchParams({ username: buyer.email, password: buyer.password }) });
  assert.equal(refused.status, 401);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('an organizer forgets a buyer of theirs alone with the keyboard; a buyer of another organizer too is refused in the dialog', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const organizer = await signupApi('Orla');
  const orlaId = (await api('GET', '/users/me', { token: organizer.token })).id;
  await api('PATCH', `/users/${orlaId}`, { token: adminToken, json: { role: 'organizer' } });
  const event = await createEvent(await token(organizer.email, organizer.password), { name: unique('Quay concert') });
  const elsewhere = await createEvent(adminToken, { name: unique('Other hall') });
  const book = (buyer, eventId) => api('POST', `/events/${eventId}/book`, { token: buyer.token,
    json: { category: 'General', quantity: 1 }, headers: { 'Idempotency-Key': unique('key') } });
  // Hanna bought only from Orla; Ivo from another organizer too. Ivo's row comes first (the newest).
  const hanna = await signupApi('Hanna');
  const hannaId = (await api('GET', '/users/me', { token: hanna.token })).id;
  const booking = await book(hanna, event.id);
  const ivo = await signupApi('Ivo');
  await book(ivo, elsewhere.id);
  await book(ivo, event.id);

  const page = await newPage(browser);
  await loginUi(page, organizer);
  await page.goto(`/admin/events/${event.id}/bookings`);
  const row = page.getByTestId(`booking-${booking.id}`);
  await row.waitFor();

  // Ivo: asked, refused in the dialog with what to do instead; Escape gives the focus back to the button.
  await tabTo(page, named('button', 'Forget this buyer (Ivo)'));
  await page.keyboard.press('Enter');
  const ivoDialog = page.getByRole('dialog', { name: 'Forget Ivo?' });
  await ivoDialog.waitFor();
  assert.equal(said(await focused(page)), 'button "Not now"'); // a stray Enter forgets no one
  await page.keyboard.press('Tab');
  assert.equal(said(await focused(page)), 'button "Yes, forget them"');
  await page.keyboard.press('Enter');
  await expectText(ivoDialog.getByRole('alert'), /Not forgotten.*also bought tickets from other organizers.*ask an admin to erase them\./);
  await shot(page, '182-organizer-forget-buyer-refused');
  await page.keyboard.press('Escape');
  await ivoDialog.waitFor({ state: 'hidden' });
  assert.equal(said(await focused(page)), 'button "Forget this buyer (Ivo)"');

  // Hanna: what is forgotten and what stays, said before; the dialog fits a phone, the table scrolls in its frame.
  await tabTo(page, named('button', 'Forget this buyer (Hanna)'));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Forget Hanna?' });
  await dialog.waitFor();
  await expectText(dialog, /Their name and e-mail address are forgotten everywhere.*Their bookings, tickets, payments and invoices stay, naming nobody.*an admin’s to erase\./);
  assert.equal(said(await focused(page)), 'button "Not now"');
  const { violations } = await runAxe(page);
  assert.deepEqual(failing(violations), [], 'the bookings with the forget dialog open');
  await shot(page, '183-organizer-forget-buyer-dialog');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await dialog.evaluate((d) => d.getBoundingClientRect().right <= 390 && d.scrollWidth <= d.clientWidth), 'the dialog fits 390 px');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page scrolls sideways at 390 px');
  await shot(page, '184-organizer-forget-buyer-dialog-390');
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const done = page.getByText('Hanna was forgotten: their bookings now read “erased”.');
  await done.waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(await done.evaluate((el) => el.closest('[tabindex="-1"]') === document.activeElement), 'the notice has the focus');
  await expectText(row.getByRole('cell').nth(1), /^erased$/);
  assert.equal(await row.getByRole('button', { name: /Forget this buyer/ }).count(), 0);
  assert.equal(await page.getByText('Hanna', { exact: true }).count(), 0);
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the bookings scroll sideways at 390 px');
  await shot(page, '185-organizer-forgot-buyer-390');

  const attendees = await api('GET', `/events/${event.id}/attendees`, { token: organizer.token });
  const hers = attendees.items.find((a) => a.booking_id === booking.id);
  assert.deepEqual([hers.name, hers.email], ['erased', null]);
  const refused = await fetch(`${BASE}/api/auth/token`, { method: 'POST', body: new URLSearchParams({ username: hanna.email, password: hanna.password }) });
  assert.equal(refused.status, 401);
  const ivoSignsIn = await fetch(`${BASE}/api/auth/token`, { method: 'POST', body: new URLSearchParams({ username: ivo.email, password: ivo.password }) });
  assert.equal(ivoSignsIn.status, 200);
  assert.equal((await api('GET', `/users/${hannaId}/bookings`, { token: adminToken })).items.length, 1);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
