import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN, api, download, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("an organizer drafts an event, publishes it, watches its box office fill, exports its attendees and checks one in, then undoes it", async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const oona = await signupApi('Oona');
  const oonaId = (await api('GET', '/users/me', { token: oona.token })).id;
  await api('PATCH', `/users/${oonaId}`, { token: adminToken, json: { role: 'organizer' } });

  const page = await newPage(browser, { width: 1280, height: 900 }, { timezoneId: 'Europe/Dublin', locale: 'en-GB' });
  await loginUi(page, oona);
  await page.goto('/admin/events/new');
  const name = unique('Trad session');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue', { exact: true }).fill('The Cobblestone');
  await page.getByLabel('Starts', { exact: true }).fill('2031-03-17T20:00');
  const rows = page.getByTestId('category-row');
  await rows.nth(0).getByLabel('Price').fill('0');
  await rows.nth(0).getByLabel('Capacity').fill('30');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await page.getByRole('heading', { name }).waitFor();
  const eventId = page.url().split('/events/')[1];
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByTestId('publish-draft').waitFor({ state: 'detached' });

  // Two buyers book; the box office counts them, the attendee list names them.
  const buyers = [await signupApi('Aoife'), await signupApi('=Cormac')];
  const [aoifes] = await Promise.all(buyers.map((b) => api('POST', `/events/${eventId}/book`, {
    token: b.token, json: { quantity: 2 }, headers: { 'Idempotency-Key': unique('key') } })));
  await page.goto(`/admin/events/${eventId}/box-office`);
  await expectText(page.getByTestId('seats-General').getByTestId('sold'), /^4$/);
  await expectText(page.getByTestId('check-in-count'), /^0 of 4 tickets checked in$/);
  const attendees = page.getByRole('table', { name: 'Attendees' }).locator('tbody');
  await expectText(attendees, /Cormac/);
  await page.getByLabel('Search attendees').fill('aoife');
  await expectText(attendees, /^(?!.*Cormac).*Aoife.*Aoife/); // the search answered: only hers
  assert.equal(await attendees.locator('tr').count(), 2);

  // The CSV holds every ticket; a name that would start a formula is text.
  const dir = mkdtempSync(path.join(tmpdir(), 'attendees-'));
  const file = await download(page, page.getByRole('button', { name: 'Export CSV' }), dir);
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^ticket_code,name,email,category,status/);
  assert.ok(lines.some((l) => l.includes(",'=Cormac,")), lines.join('\n'));

  // The door: the holder's name, when (dated, in the reader's zone), a warning that the event is not today,
  // then a check-in taken back.
  const code = aoifes.tickets[0].code;
  await page.getByLabel('Ticket code').fill(code);
  await page.getByRole('button', { name: 'Check in' }).click();
  await expectText(page.getByTestId('door-result'), /Welcome, Aoife!.*General · checked in \w{3}, \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC\+[01] · /);
  await expectText(page.getByTestId('door-early'), /^This event starts on Mon, 17 Mar 2031, 20:00 UTC\+0 \(Dublin\) \u2014 check the date\.$/);
  await expectText(page.getByTestId('check-in-count'), /^1 of 4 tickets checked in$/);
  await shot(page, '100-organizer-box-office');
  await page.getByRole('button', { name: 'Undo this check-in' }).click();
  await page.getByText(`Check-in of ${code} undone: the ticket is live again.`).waitFor();
  await expectText(page.getByTestId('check-in-count'), /^0 of 4 tickets checked in$/);
  const history = await api('GET', `/audit/events/${eventId}/history`, { token: adminToken });
  const kinds = (history.items ?? history).map((e) => e.type);
  assert.deepEqual(kinds.slice(-2), ['TicketCheckedIn', 'TicketCheckInUndone']);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
