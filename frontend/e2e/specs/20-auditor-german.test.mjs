// The auditor's pages in German: an auditor whose account speaks German reads the ledger's projections, an event's
// time travel and history, its bookings with a buyer forgotten (named "gelöscht", not the API's English "erased"),
// revenue and the log, each in German; axe checks each page as it stands. One screenshot: the German time travel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { failing, runAxe } from '../axe.mjs';
import {
  ADMIN, afterReloads, api, createEvent, expectText, launch, loginUi, newPage, searchFor, shot, SIGN_IN_WORDS,
  signupApi, token, unique,
} from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BERLIN = { timezoneId: 'Europe/Berlin', locale: 'de-DE' };

/** Serious or critical axe findings on the page as it stands: none. */
async function accessible(page, where) {
  const { violations } = await runAxe(page);
  assert.deepEqual(failing(violations), [], `axe on ${where}`);
}

test('an auditor in German reads the ledger, an event as it was with a buyer forgotten, revenue and the log', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const auditor = { email: `${unique('ute')}@e2e.test`, password: 'password-123' };
  await api('POST', '/users', { token: adminToken, json: { ...auditor, name: 'Ute Prüferin', role: 'auditor' } });
  await api('PUT', '/users/me/language', { token: await token(auditor.email, auditor.password), json: { language: 'de' } });
  const event = await createEvent(adminToken, { name: unique('Prüfkonzert') });
  const kept = await signupApi('Greta');
  await api('POST', `/events/${event.id}/book`, { token: kept.token, json: { category: 'General', quantity: 2 } });
  const gone = await signupApi('Hanna');
  const goneId = (await api('GET', '/users/me', { token: gone.token })).id;
  await api('POST', `/events/${event.id}/book`, { token: gone.token, json: { category: 'VIP', quantity: 1 } });
  await api('POST', `/users/${goneId}/erasure`, { token: adminToken });

  const page = await newPage(browser, { width: 1280, height: 900 }, BERLIN);
  await loginUi(page, auditor, SIGN_IN_WORDS.de);

  // The ledger: its projections and the verification, in German.
  await page.goto('/audit');
  await page.getByRole('heading', { name: 'Prüfung', level: 1 }).waitFor();
  await page.getByRole('table', { name: 'Projektionen' }).getByRole('rowheader', { name: 'availability' }).waitFor();
  await page.getByRole('heading', { name: 'Das Journal prüfen' }).waitFor();
  await page.getByRole('button', { name: 'Prüfung starten' }).waitFor();
  await accessible(page, 'the ledger in German');

  // The event as it is now: its seats, its history, the forgotten buyer named in German.
  const toAudit = page.getByRole('navigation', { name: 'Zu prüfende Veranstaltungen' }).getByRole('listitem');
  await searchFor(page.getByLabel('Veranstaltung finden'), event.name, toAudit);
  await page.getByRole('link', { name: new RegExp(event.name) }).click();
  const timeline = page.getByRole('list', { name: 'Verlauf der Veranstaltung' });
  await timeline.getByRole('button').nth(2).waitFor();
  await expectText(timeline, /Veranstaltung erstellt/);
  await expectText(timeline, /Plätze gebucht/);
  await expectText(page.getByTestId('state-seats'), /^11 von 14 Plätzen frei · 2 von 2 Buchungen bestätigt$/);
  const bookings = page.getByRole('list', { name: 'Buchungen in dieser Version' });
  await afterReloads(page, bookings, /gelöscht: 1 × VIP/);
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /\berased\b/);
  await expectText(bookings, /Greta: 2 × General/);
  await accessible(page, 'time travel in German');
  await shot(page, '200-audit-time-travel-de');

  // Its bookings, revenue and the log, each in German.
  const tabs = page.getByRole('navigation', { name: 'Prüfbereich' });
  await tabs.getByRole('link', { name: 'Buchungen' }).click();
  await page.getByRole('button', { name: 'Einer Veranstaltung' }).waitFor();
  await searchFor(page.getByLabel('Veranstaltung finden'), event.name, toAudit);
  await page.getByRole('button', { name: new RegExp(event.name) }).click();
  const rows = page.getByTestId('audit-booking');
  await expectText(rows.filter({ hasText: 'VIP' }), /gelöscht/);
  await accessible(page, 'the bookings in German');

  await tabs.getByRole('link', { name: 'Umsatz' }).click();
  await page.getByRole('combobox', { name: 'Gruppierung' }).waitFor();
  await page.getByRole('heading', { name: 'Verkäufe pro Tag' }).waitFor();
  await accessible(page, 'revenue in German');

  await tabs.getByRole('link', { name: 'Protokoll' }).click();
  await page.getByRole('heading', { name: 'Gesamtprotokoll' }).waitFor();
  await page.getByRole('table', { name: 'Prüfprotokoll' }).waitFor();
  await accessible(page, 'the log in German');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
