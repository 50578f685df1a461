import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const VIEWPORT = { width: 1280, height: 860 };

test("an organizer drafts an event, publishes it, and a reader elsewhere sees the venue's time beside their own", async () => {
  const adminToken = await token(ADMIN.email, ADMIN.password);
  const olga = await signupApi('Olga');
  const olgaId = (await api('GET', '/users/me', { token: olga.token })).id;
  await api('PATCH', `/users/${olgaId}`, { token: adminToken, json: { role: 'organizer' } });

  // Olga, in London, drafts an event at a London venue: its start typed as the venue's clocks read it.
  const page = await newPage(browser, VIEWPORT, { timezoneId: 'Europe/London', locale: 'en-GB' });
  await loginUi(page, olga);
  await page.goto('/admin/events/new');
  const name = unique('Ceilidh');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue', { exact: true }).fill('Corn Exchange');
  // The zone is offered from her browser, and the form asks whether the venue is there; she finds it by country.
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  assert.equal(await zone.inputValue(), 'Europe/London');
  await expectText(page.locator('.zone-picker .field__hint'), /^Your browser's zone: Europe\/London \(UTC\+[01] now\) \u2014 is the venue there\?/);
  await zone.fill('United Kingdom');
  await expectText(page.getByRole('listbox'), /^United Kingdom Europe\/London UTC\+[01]$/);
  await zone.fill('united');
  await expectText(page.getByRole('status').filter({ hasText: 'time zone' }), /^\d+ time zones match; up and down to choose, Enter to pick\.$/);
  await zone.press('ArrowDown');
  assert.match(await zone.getAttribute('aria-activedescendant'), /option-1$/);
  await shot(page, '90-zone-picker');
  await zone.fill('United Kingdom');
  await zone.press('Enter');
  assert.equal(await zone.inputValue(), 'Europe/London');
  await expectText(page.locator('.zone-picker .field__hint'), /^Your browser's zone: Europe\/London/);
  await page.getByLabel('Starts', { exact: true }).fill('2031-12-13T19:00');
  const rows = page.getByTestId('category-row');
  await rows.nth(0).getByLabel('Price').fill('20');
  await rows.nth(0).getByLabel('Capacity').fill('50');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await page.getByRole('heading', { name }).waitFor();
  await page.getByText('Draft', { exact: true }).waitFor();
  const eventId = page.url().split('/events/')[1];

  // Nobody else sees it: not on the public list, and its page is not found.
  const listed = async () => (await api('GET', `/events?q=${encodeURIComponent(name)}`)).items.length;
  assert.equal(await listed(), 0);
  const stranger = await newPage(browser, VIEWPORT, { timezoneId: 'America/New_York', locale: 'en-GB' });
  await stranger.goto(`/events/${eventId}`);
  await expectText(stranger.getByRole('alert'), /^Something went wrongThere is no such event: the link may be wrong, or the event was removed\. Look for it in the list of events\.$/);
  await shot(stranger, '90-draft-not-found');
  await stranger.context().close();

  // Its page offers her what applies to a draft: publish, schedule or discard; its box office a link away.
  const manage = page.getByRole('region', { name: 'Manage this event' });
  await manage.getByRole('button', { name: 'Discard the draft' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Complete the event' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Cancel the event' }).count(), 0);
  assert.equal(await manage.getByRole('link', { name: 'Box office' }).getAttribute('href'), `/admin/events/${eventId}/box-office`);
  await page.getByRole('button', { name: 'Schedule' }).waitFor();
  await shot(page, '90-draft-manage');

  // She publishes it from its page.
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByTestId('publish-draft').waitFor({ state: 'detached' });
  assert.equal(await page.getByText('Draft', { exact: true }).count(), 0);
  assert.equal(await listed(), 1);
  await page.context().close();

  // A visitor in New York sees the venue's time with its zone, and their own beside it.
  const visitor = await newPage(browser, VIEWPORT, { timezoneId: 'America/New_York', locale: 'en-GB' });
  await visitor.goto(`/events/${eventId}`);
  await expectText(visitor.getByTestId('event-time'), /^Sat, 13 Dec 2031, 19:00 UTC\+0 \(London; Sat, 13 Dec 2031, 14:00 UTC\u22125 your time\)$/);
  await visitor.goto(`/?q=${encodeURIComponent(name)}`);
  await expectText(visitor.locator('.event-card').filter({ hasText: name }), /Sat, 13 Dec 2031, 19:00 UTC\+0 \(London; Sat, 13 Dec 2031, 14:00 UTC\u22125 your time\)/);
  assert.deepEqual(visitor.consoleErrors, []);
  await visitor.context().close();
});
