import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// run.mjs sets COMPLETION_INTERVAL_SECONDS=2: an event over completes within about 2 s.
// On sale a day ahead, seen on sale, then moved to start in a moment: however long the steps
// before take on a loaded machine, the event is still on sale when the buyer looks.
const LEAD_MS = 3_000; // from its move to its start
const LENGTH_MS = 3_000; // from its start to its end: time to see it started

test('an event is bookable until it starts, then its page says why not and it leaves the list; once over it completes', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const event = await createEvent(admin, {
    name: unique('Matinee'), starts_at: new Date(Date.now() + 86_400_000).toISOString(),
  });

  // On sale: in the default list, its page has the booking form.
  const page = await newPage(browser);
  await loginUi(page, await signupApi('Lena'));
  await page.goto(`/?q=${encodeURIComponent(event.name)}`);
  await page.getByRole('article').filter({ hasText: event.name }).getByRole('link', { name: event.name }).click();
  await page.getByRole('heading', { name: event.name }).waitFor();
  await page.getByRole('button', { name: 'Reserve seats' }).waitFor();
  await page.getByLabel('Quantity, General').waitFor();
  const startsAt = Date.now() + LEAD_MS;
  await api('PUT', `/events/${event.id}`, { token: admin, json: {
    starts_at: new Date(startsAt).toISOString(), ends_at: new Date(startsAt + LENGTH_MS).toISOString(),
  } });

  // Started: a visit now finds the booking closed, and why. (A page left open closes its form at the
  // start on its own, as lib/event-phase.test.tsx shows; the API refuses a late booking.)
  await page.waitForTimeout(Math.max(0, startsAt - Date.now() + 250));
  await page.reload();
  await expectText(page.getByTestId('closed-reason'), /^This event has started: booking is closed\.$/);
  assert.equal(await page.getByRole('button', { name: 'Reserve seats' }).count(), 0);
  assert.equal(await page.getByLabel('Quantity, General').count(), 0);
  await expectText(page.getByRole('heading', { name: event.name }).locator('.badge'), /started/i);
  await shot(page, '60-event-started');

  // Not in the default list (on sale) any more; in "Past".
  await page.getByRole('link', { name: '← All events' }).click();
  await page.getByLabel('Search').fill(event.name);
  await page.getByRole('heading', { name: 'No events match' }).waitFor();
  await page.getByRole('button', { name: 'Past' }).click();
  await page.getByRole('article').filter({ hasText: event.name }).waitFor();

  // Over: the scheduler completes it; its page says it has ended.
  await page.getByRole('link', { name: event.name }).click();
  await expectText(page.getByTestId('closed-reason'), /This event has ended; it cannot be booked\./, startsAt + LENGTH_MS - Date.now() + 10_000);
  await expectText(page.getByRole('heading', { name: event.name }).locator('.badge'), /ended/i);
  await shot(page, '61-event-ended');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();

  // Its admin's view of it: completed (by the scheduler), nothing more to do.
  const adminPage = await newPage(browser);
  await loginUi(adminPage, ADMIN);
  await adminPage.goto(`/events/${event.id}`);
  const manage = adminPage.getByRole('region', { name: 'Manage this event' });
  const deadline = Date.now() + 10_000;
  while (!/completed/.test((await manage.textContent()) ?? '') && Date.now() < deadline) {
    await adminPage.waitForTimeout(500);
    await adminPage.reload();
  }
  await expectText(manage, /This event is completed: nothing more to do\./, 1_000);
  assert.equal(await manage.getByRole('link', { name: 'Edit' }).count(), 0);
  assert.deepEqual(adminPage.consoleErrors, []);
  await adminPage.context().close();
});
