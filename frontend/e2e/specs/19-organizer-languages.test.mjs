// The organizer's side in German, and an event named in Polish: an organizer whose account speaks German creates an
// event in the German form, giving its name and description in Polish under "Übersetzungen"; its page, its bookings
// and its box office speak German (axe checks each, in German); a buyer whose browser speaks Polish finds the event
// under its Polish name, on the list and on its page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { failing, runAxe } from '../axe.mjs';
import { ADMIN, api, expectText, launch, loginUi, newPage, shot, SIGN_IN_WORDS, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BERLIN = { timezoneId: 'Europe/Berlin', locale: 'de-DE' };
const WARSAW = { timezoneId: 'Europe/Warsaw', locale: 'pl-PL' };
const year = new Date().getUTCFullYear() + 1;

let created; // { id, name, polish }

/** Serious or critical axe findings on the page as it stands: none. */
async function accessible(page, where) {
  const { violations } = await runAxe(page);
  assert.deepEqual(failing(violations), [], `axe on ${where}`);
}

test('an organizer in German creates an event with a Polish name, and runs it in German', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const organizer = await signupApi('Gisela');
  const { id } = await api('GET', '/users/me', { token: organizer.token });
  await api('PATCH', `/users/${id}`, { token: adminToken, json: { role: 'organizer' } });
  await api('PUT', '/users/me/language', { token: organizer.token, json: { language: 'de' } }); // her account speaks German

  const page = await newPage(browser, { width: 1280, height: 900 }, BERLIN);
  await loginUi(page, organizer, SIGN_IN_WORDS.de);

  // The form, in German, with its translations folded away until asked for.
  await page.goto('/admin/events/new');
  await page.getByRole('heading', { name: 'Neue Veranstaltung' }).waitFor();
  const name = unique('Jazzabend');
  const polish = unique('Wieczór jazzowy');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Veranstaltungsort', { exact: true }).fill('Kesselhaus');
  const zone = page.getByRole('combobox', { name: 'Zeitzone' });
  assert.equal(await zone.inputValue(), 'Europe/Berlin');
  await expectText(page.locator('.zone-picker .field__hint'), /^Die Zeitzone Ihres Browsers: Europe\/Berlin \(jetzt UTC\+[12]\)/);
  await page.getByLabel('Beschreibung', { exact: true }).fill('Ein Abend mit Jazz.');
  await page.getByLabel('Beginn', { exact: true }).fill(`${year}-11-20T20:00`);
  const rows = page.getByTestId('category-row');
  assert.equal(await rows.nth(0).getByLabel('Name der Kategorie').inputValue(), 'Allgemein');
  await rows.nth(0).getByLabel('Preis').fill('30');
  await rows.nth(0).getByLabel('Plätze').fill('40');
  const translations = page.locator('details.event-translations');
  assert.equal(await translations.getAttribute('open'), null);
  await page.getByText('Übersetzungen (optional)').click();
  const polishPart = page.getByRole('group', { name: 'Polnisch' });
  await polishPart.getByLabel('Name (Polnisch)').fill(polish);
  await polishPart.getByLabel('Beschreibung (Polnisch)').fill('Wieczór z jazzem.');
  await accessible(page, 'the German event form');
  await shot(page, '190-organizer-de');
  await page.getByRole('button', { name: 'Veröffentlichen' }).click();

  // Its page as its organizer sees it: the event's own name, and "Manage" in German.
  await page.getByRole('heading', { name }).waitFor();
  const eventId = page.url().split('/events/')[1];
  created = { id: eventId, name, polish };
  await page.getByRole('heading', { name: 'Diese Veranstaltung verwalten' }).waitFor();
  await accessible(page, "the event's page, German");
  const saved = await api('GET', `/events/${eventId}`, { token: organizer.token });
  assert.deepEqual(saved.translations, { pl: { name: polish, description: 'Wieczór z jazzem.' } });

  // A buyer books two seats; the bookings table says so in German.
  const buyer = await signupApi('Bruno');
  const booking = await api('POST', `/events/${eventId}/book`, { token: buyer.token, json: { category: 'Allgemein', quantity: 2 } });
  await page.goto(`/admin/events/${eventId}/bookings`);
  await page.getByRole('heading', { name: `Buchungen für „${name}“` }).waitFor();
  const table = page.getByRole('table', { name: 'Buchungen dieser Veranstaltung' });
  for (const column of ['Gebucht', 'Kunde', 'Kategorie', 'Summe', 'Tickets']) await table.getByRole('columnheader', { name: column }).waitFor();
  const row = page.getByTestId(`booking-${booking.id}`);
  await expectText(row, /Bruno.*Allgemein.*60,00\s€.*bestätigt/);
  await row.getByRole('button', { name: 'Stornieren', exact: true }).waitFor();
  await accessible(page, 'the bookings, German');

  // The box office in German: its seats, its check-ins, the door.
  await page.goto(`/admin/events/${eventId}/box-office`);
  await page.getByRole('heading', { name: `Abendkasse · ${name}` }).waitFor();
  await page.getByRole('table', { name: 'Plätze pro Kategorie' }).getByRole('columnheader', { name: 'Verkauft' }).waitFor();
  await expectText(page.getByTestId('check-in-count'), /^0 von 2 Tickets eingelassen$/);
  await page.getByRole('button', { name: 'Einlassen' }).click();
  await page.getByText('Geben Sie einen Ticketcode ein oder scannen Sie ihn.').waitFor();
  await page.getByRole('heading', { name: 'Teilnehmer', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Nachrichten an Käufer', exact: true }).waitFor();
  await accessible(page, 'the box office, German');
  await shot(page, '192-box-office-de');
  assert.deepEqual(page.consoleErrors, []);
});

test('a buyer reading Polish finds the event under its Polish name', async () => {
  assert.ok(created, 'the event of the test before');
  const page = await newPage(browser, { width: 390, height: 844 }, WARSAW);
  await page.goto(`/?q=${encodeURIComponent(created.name)}`);
  const card = page.getByRole('article').filter({ hasText: created.polish });
  await card.getByRole('link', { name: created.polish }).waitFor();
  await card.getByText('Wieczór z jazzem.').waitFor();
  await card.getByRole('link', { name: created.polish }).click();
  await page.getByRole('heading', { name: created.polish }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'pl');
  await page.getByText('Wieczór z jazzem.').waitFor();
  assert.equal(await page.getByText(created.name, { exact: true }).count(), 0); // the event's own name is not shown
  await shot(page, '191-event-pl-name');
  assert.deepEqual(page.consoleErrors, []);
});
