import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  ADMIN, api, createEvent, download, expectText, launch, localInput, loginUi, newPage, PATIENCE_MS, searchFor, shot,
  signupApi, token, unique, verifyExport,
} from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an auditor steps through an event history and sees it as it was', async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const auditor = { email: `${unique('audra')}@e2e.test`, password: 'password-123' };
  await api('POST', '/users', { token: admin, json: { ...auditor, name: 'Audra Auditor', role: 'auditor' } });
  const event = await createEvent(admin, { name: unique('Audited fair') });
  const customer = await signupApi('Hugo');
  const first = await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'General', quantity: 3 } });
  await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'VIP', quantity: 1 } });
  await api('DELETE', `/bookings/${first.id}`, { token: customer.token });

  const page = await newPage(browser);
  await loginUi(page, auditor);
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('table', { name: 'Projections' }).getByRole('rowheader', { name: 'availability' }).waitFor();
  await page.getByRole('button', { name: 'Run verification' }).click();
  await page.getByText('Ledger verified: no problem found.').waitFor({ timeout: 60_000 });
  await shot(page, '14-audit-projections-verify');

  const toAudit = page.getByRole('navigation', { name: 'Events to audit' }).getByRole('listitem');
  await searchFor(page.getByLabel('Find an event'), event.name, toAudit);
  await page.getByRole('link', { name: new RegExp(event.name) }).click();
  const timeline = page.getByRole('list', { name: 'Event history' });
  await timeline.getByRole('button').nth(3).waitFor();
  const steps = await timeline.getByRole('listitem').count();
  assert.equal(steps, 4); // created, booked, booked, cancelled
  await expectText(page.getByTestId('state-version'), /^4$/);
  await expectText(page.getByTestId('state-seats'), /13 of 14 seats left/);

  await timeline.getByRole('button').first().click();
  await expectText(page.getByTestId('state-seats'), /14 of 14 seats left/);
  await shot(page, '15-audit-version-1');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expectText(page.getByTestId('state-version'), /^2$/);
  await expectText(page.getByTestId('state-seats'), /11 of 14 seats left/);
  const slider = page.getByLabel(/^Version/);
  await slider.focus();
  await page.keyboard.press('ArrowRight'); // the slider works from the keyboard
  await expectText(page.getByTestId('state-version'), /^3$/);
  await expectText(page.getByTestId('state-seats'), /10 of 14 seats left/);
  await shot(page, '16-audit-time-travel');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test("an auditor finds an event's revenue in its currency, a customer's booking, the log's latest entry, and an export the offline tool verifies", async () => {
  const started = Date.now();
  const admin = await token(ADMIN.email, ADMIN.password);
  const auditor = { email: `${unique('otto')}@e2e.test`, password: 'password-123' };
  await api('POST', '/users', { token: admin, json: { ...auditor, name: 'Otto Auditor', role: 'auditor' } });
  const event = await createEvent(admin, { name: unique('Audited fado'), currency: 'GBP' });
  const customer = await signupApi('Rosa');
  await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'VIP', quantity: 2 } });
  const last = await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'General', quantity: 1 } });
  await api('POST', '/audit/checkpoints', { token: admin }); // a signed head, so the export carries one

  const page = await newPage(browser);
  await loginUi(page, auditor);
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  const tabs = page.getByRole('navigation', { name: 'Audit workspace' });

  // Revenue: the event's row, in pounds (rows are by name, a page at a time; the other specs' are in euros).
  await tabs.getByRole('link', { name: 'Revenue' }).click();
  const row = page.getByTestId(`revenue-row-${event.name}`);
  const deadline = Date.now() + PATIENCE_MS;
  while (!(await row.isVisible()) && Date.now() < deadline) {
    const more = page.getByRole('button', { name: 'More rows' });
    if (await more.isVisible()) await more.click(); else await page.waitForTimeout(100);
  }
  await expectText(row.getByRole('cell').nth(0), /^GBP$/);
  await expectText(row.getByRole('cell').nth(1), /£\s?185[.,]00/); // 2 × 80 + 1 × 25
  await expectText(row.getByRole('cell').nth(2), /^3$/); // tickets
  await expectText(row.getByRole('cell').nth(3), /^2$/); // bookings
  await page.getByTestId('revenue-total-GBP').waitFor(); // a total per currency, never summed across them
  await page.locator('.recharts-surface').first().waitFor();
  await shot(page, '40-audit-revenue');

  // Bookings: the customer's, found by their email.
  await tabs.getByRole('link', { name: 'Bookings' }).click();
  await page.getByRole('button', { name: 'A user' }).click();
  await searchFor(page.getByLabel('Find a user'), customer.email, page.locator('ul.picker > li'));
  await page.getByRole('button', { name: new RegExp(customer.email.replace(/[.+]/g, '\\$&')) }).click();
  await page.getByRole('heading', { name: 'Bookings of Rosa' }).waitFor();
  const bookings = page.getByTestId('audit-booking');
  await expectText(bookings.filter({ hasText: '2 × VIP' }), new RegExp(`${event.name}.*confirmed`));
  await expectText(bookings.filter({ hasText: '1 × General' }), /£\s?25[.,]00.*confirmed/);
  await bookings.first().getByRole('link', { name: event.name }).waitFor();
  assert.equal(await bookings.count(), 2);
  assert.ok((await bookings.locator('code').first().textContent()).length > 0); // ticket codes as digests
  await shot(page, '41-audit-user-bookings');

  // The log since this test began, read through the API first.
  const log = await api('GET', `/audit/log?since=${encodeURIComponent(new Date(started - 60_000).toISOString())}&limit=500`, { token: admin });
  // The event's own stream's last entry, the last booking's seats: the booking's own stream may be written after it (the
  // log's head then an entry the event's filter rightly leaves out).
  const latest = log.items.filter((item) => item.aggregate_id === event.id).at(-1);
  assert.equal(latest.payload.booking_id, last.id, `latest entry of the event: ${JSON.stringify(latest)}`);
  await tabs.getByRole('link', { name: 'Log' }).click();
  await page.getByLabel('Since').fill(await localInput(page, started - 60_000));
  // Other specs write to the log meanwhile: this event's entries alone, then paged on to the head.
  await page.getByLabel('Event id').fill(event.id);
  const entries = page.getByRole('table', { name: 'Audit log' }).getByTestId('log-entry');
  // The filter is sent once the typing pauses, and the page before stays until its answer: page on only from the
  // filtered page (its entries all the event's), never from the one shown meanwhile.
  const filtered = async () => {
    const rows = await entries.allTextContents();
    return rows.length > 0 && rows.every((row) => row.includes(event.id.slice(0, 8)));
  };
  for (const until = Date.now() + 45_000; !(await filtered());) {
    assert.ok(Date.now() < until, "the log never showed the event's entries alone");
    await page.waitForTimeout(200);
  }
  const status = page.getByText(/^Positions \d+–\d+ · head \d+$/);
  const atHead = new RegExp(`–${latest.position} · head \\d+$`);
  // The log read again for the event's filter, then page after page: under the suite's load (every spec beside
  // the scenarios) a page has taken longer than the usual 15 s to come.
  const slow = { timeout: 45_000 };
  await status.waitFor(slow);
  for (let i = 0; i < 20 && !atHead.test((await status.textContent(slow)) ?? ''); i += 1) {
    const shown = (await status.textContent(slow)) ?? '';
    await page.getByRole('button', { name: 'Next ▶' }).click(slow); // enabled once the page's answer came
    // The page shown stays until the next one's answer: waiting for its status to change, never clicking past the head.
    await expectText(status, new RegExp(`^(?!${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$)`), slow.timeout);
  }
  await expectText(status, atHead, slow.timeout);
  const top = entries.last();
  await expectText(top.getByRole('cell').nth(0), new RegExp(`^${latest.position}$`));
  await expectText(top, /Rosa · 1 × General/);
  await shot(page, '42-audit-log');

  // Exports: the keys and the whole log with its heads, checked offline.
  await tabs.getByRole('link', { name: 'Exports' }).click();
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-export-'));
  try {
    const keys = await download(page, page.getByRole('button', { name: 'Download keys.json' }), dir);
    const file = await download(page, page.getByRole('button', { name: 'Download the log with its heads' }), dir);
    await page.getByText(/^Saved .*\.jsonl$/).waitFor();
    const heads = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"tree_size"')).length;
    assert.ok(heads >= 1, 'the export carries a signed head');
    const verdict = verifyExport(file, keys);
    assert.equal(verdict.status, 0, `verify_export.py: ${verdict.output}`);
    assert.match(verdict.output, /OK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await shot(page, '43-audit-exports');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
