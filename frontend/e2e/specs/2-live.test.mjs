import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, createEvent, expectText, launch, loginUi, newPage, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a second browser sees the first one's booking change availability live, without reload", async () => {
  const event = await createEvent(await token(ADMIN.email, ADMIN.password), { name: unique('Live show') });
  const watcher = await newPage(browser);
  await watcher.goto(`/events/${event.id}`);
  await expectText(watcher.getByTestId('left-General'), /^10 \/ 10$/);
  await watcher.evaluate(() => { window.__notReloaded = true; });

  const list = await newPage(browser);
  await list.goto(`/?q=${encodeURIComponent(event.name)}`);
  const card = list.getByRole('article').filter({ hasText: event.name });
  await expectText(card.getByTestId('seats-left'), /14 of 14 seats left/);
  await list.evaluate(() => { window.__notReloaded = true; });

  const buyer = await newPage(browser);
  await loginUi(buyer, await signupApi('Bruno'));
  await buyer.goto(`/events/${event.id}`);
  await buyer.getByLabel('Quantity, General').fill('3');
  await buyer.getByRole('button', { name: 'Reserve seats' }).click();
  await buyer.getByRole('button', { name: 'Confirm booking' }).click();
  await buyer.getByTestId('booking-confirmation').waitFor();

  await expectText(watcher.getByTestId('left-General'), /^7 \/ 10$/);
  await expectText(card.getByTestId('seats-left'), /11 of 14 seats left/);
  assert.equal(await watcher.evaluate(() => window.__notReloaded), true);
  assert.equal(await list.evaluate(() => window.__notReloaded), true);
  await shot(watcher, '09-live-update-other-browser');
  for (const page of [watcher, list, buyer]) await page.context().close();
});
