import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WARSAW = { timezoneId: 'Europe/Warsaw', locale: 'en-US' };
const LABEL = /\w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M UTC[+\u2212]\d/; // the one format every time has

test('an organizer in Warsaw sells a New York night: the venue found by city, its times in its zone, the rest in hers', async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const wiktoria = await signupApi('Wiktoria');
  const wiktoriaId = (await api('GET', '/users/me', { token: wiktoria.token })).id;
  await api('PATCH', `/users/${wiktoriaId}`, { token: adminToken, json: { role: 'organizer' } });

  const page = await newPage(browser, { width: 1280, height: 900 }, WARSAW);
  await loginUi(page, wiktoria);
  await page.goto('/admin/events/new');
  const name = unique('Jazz night');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue', { exact: true }).fill('Village Vanguard');
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  await expectText(page.locator('.zone-picker .field__hint'), /^Your browser's zone: Europe\/Warsaw \(UTC\+[12] now\) \u2014 is the venue there\?/);
  await zone.fill('New York');
  await expectText(page.getByRole('listbox'), /^New York America\/New_York UTC\u2212[45]$/);
  await shot(page, '120-zone-picker-new-york');
  await zone.press('Enter');
  assert.equal(await zone.inputValue(), 'America/New_York');
  await expectText(page.locator('.zone-picker .field__hint'), /^The venue's, New York: UTC\u2212[45] now\./);
  await page.getByLabel('Starts', { exact: true }).fill('2031-12-20T20:00');
  const rows = page.getByTestId('category-row');
  await rows.nth(0).getByLabel('Price').fill('0');
  await rows.nth(0).getByLabel('Capacity').fill('40');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
  const eventId = page.url().split('/events/')[1];
  // The venue's evening, and hers: 20:00 in New York is 02:00 the next day in Warsaw.
  await expectText(page.getByTestId('event-time'),
    /^Sat, Dec 20, 2031, 8:00 PM UTC\u22125 \(New York; Sun, Dec 21, 2031, 2:00 AM UTC\+1 your time\)$/);

  const buyer = await signupApi('Kasia');
  const booked = await api('POST', `/events/${eventId}/book`, { token: buyer.token, json: { quantity: 2 }, headers: { 'Idempotency-Key': unique('key') } });

  // Her bookings table: when it was booked, in her zone, labelled.
  await page.goto(`/admin/events/${eventId}/bookings`);
  const table = page.getByRole('table').first();
  await expectText(table, /Kasia/);
  await expectText(table, /UTC\+1/);
  await shot(page, '121-bookings-table-warsaw');

  // The door, a month early: the check-in dated in her zone, and a warning in words.
  await page.goto(`/admin/events/${eventId}/box-office`);
  await page.getByLabel('Ticket code').fill(booked.tickets[0].code);
  await page.getByRole('button', { name: 'Check in' }).click();
  await expectText(page.getByTestId('door-result'), new RegExp(`checked in ${LABEL.source}`));
  await expectText(page.getByTestId('door-early'),
    /^This event starts on Sat, Dec 20, 2031, 8:00 PM UTC\u22125 \(New York; Sun, Dec 21, 2031, 2:00 AM UTC\+1 your time\) \u2014 check the date\.$/);
  await shot(page, '122-box-office-warsaw');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();

  // The buyer, in Warsaw too: the night in New York's time and hers, booked in hers.
  const customer = await newPage(browser, { width: 1280, height: 860 }, WARSAW);
  await loginUi(customer, buyer);
  await customer.goto('/my-bookings');
  const booking = customer.getByTestId('booking').first();
  await expectText(booking, /Village Vanguard · Sat, Dec 20, 2031, 8:00 PM UTC\u22125 \(New York; .*your time\)/);
  await expectText(customer.getByTestId('booked-at'), new RegExp(`^Booked ${LABEL.source}$`));
  await shot(customer, '123-my-bookings-warsaw');
  // The event's page as she reads it: the venue's evening, and hers beside it (the docs' screenshot).
  await customer.goto(`/events/${eventId}`);
  await expectText(customer.getByTestId('event-time'), /^Sat, Dec 20, 2031, 8:00 PM UTC\u22125 \(New York; Sun, Dec 21, 2031, 2:00 AM UTC\+1 your time\)$/);
  await shot(customer, '124-event-page-warsaw');
  await customer.context().close();
});
