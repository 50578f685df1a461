// axe-core over every route of the web UI, as each role sees it: at a desktop's width, at a phone's (390 px), and with
// each page's confirmation dialog open. A violation of impact "serious" or "critical" fails its role's test; the
// others are counted. Each page is also laid out as the desktop's window is at 200 % and 400 % zoom: a page that then
// scrolls sideways fails too; and with WCAG 1.4.12's text spacing (a reader's own line height, letter, word and
// paragraph spacing): a box that then cuts off its text fails too. Every visit's findings go to axe-report.json beside the screenshots (docs/accessibility.md
// tells how to read it).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FAILING, runAxe } from '../axe.mjs';
import { ADMIN, api, createEvent, launch, loginUi, newPage, PATIENCE_MS, shot, signupApi, token, unique } from '../lib.mjs';

const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
// The desktop's window at 200 % zoom, and at 400 % (WCAG 1.4.10's reflow at 320 CSS px): in CSS pixels, what a page
// lays out at that zoom. Only a table or a chart may scroll sideways there, never the page.
const ZOOMED = [{ width: 640, height: 430, zoom: '200 %' }, { width: 320, height: 215, zoom: '400 %' }];
// A picture of every page state (wide, narrow, its dialog) for a person to look through, when asked: taking about a
// hundred full-page pictures in every run of the suite cost it more than the checks they illustrate. A page that fails
// a check is photographed whatever this says.
const GALLERY = process.env.E2E_A11Y_GALLERY === '1';

let browser;
let data;
const visits = [];
const reflows = []; // each page state at a zoom whose page scrolls sideways: what sticks out
const clipped = []; // each page state whose text a box cuts off once spaced out as WCAG 1.4.12 asks

// WCAG 1.4.12's text spacing, as a reader's own style sheet sets it: nothing may be cut off or hidden then.
const TEXT_SPACING = `*, *::before, *::after { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;

/** The boxes that hide part of their own text (at most five), once the text spacing is applied. */
const cutOff = (page) => page.evaluate(() => {
  const hides = (style) => ['hidden', 'clip'].some((v) => style.overflowX === v || style.overflowY === v);
  const named = (el) => `${el.tagName.toLowerCase()}${typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${el.textContent.trim().slice(0, 40)}"`;
  const out = [...document.body.querySelectorAll('*')].filter((el) => {
    const style = getComputedStyle(el);
    if (!hides(style) || el.clientWidth <= 2 || el.clientHeight <= 2) return false; // a screen reader's text is 1 px on purpose
    if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) return false;
    return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  });
  return out.slice(0, 5).map(named);
});

/** The page with the text spacing applied at the phone's width, where lines are shortest: what is cut off; then as it was. */
async function spacedOut(page, where) {
  const sheet = await page.addStyleTag({ content: TEXT_SPACING });
  await page.setViewportSize(PHONE);
  const out = await cutOff(page); // reading the boxes' sizes lays the page out first
  if (out.length) {
    clipped.push({ ...where, width: PHONE.width, out });
    await shot(page, `144-a11y-${where.role}-${where.name}-spaced`);
  }
  await sheet.evaluate((node) => node.remove());
  await page.setViewportSize(DESKTOP);
}

/** What sticks out once the page had time to lay itself out again (a chart resizes to its box a moment after), at most 2 s. */
async function stillSticksOut(page) {
  const deadline = Date.now() + 2_000;
  let out = await sticksOut(page);
  while (out.length && Date.now() < deadline) {
    await page.waitForTimeout(200);
    out = await sticksOut(page);
  }
  return out;
}

/** The elements wider than the window that no scrolling container of theirs holds (at most five), if the page scrolls sideways. */
const sticksOut = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const held = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const named = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  const out = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 1 && !held(el));
  return out.length ? out.slice(0, 5).map(named) : [`the page (${document.documentElement.scrollWidth} px wide in ${width})`];
});

/** Until the page has its heading and nothing is loading any more (a spinner gone for a moment), at most `PATIENCE_MS`. */
async function settled(page) {
  await page.locator('main h1').first().waitFor();
  const deadline = Date.now() + PATIENCE_MS;
  let calm = 0;
  while (calm < 3 && Date.now() < deadline) {
    calm = (await page.locator('.spinner').count()) === 0 ? calm + 1 : 0;
    await page.waitForTimeout(150);
  }
}

/** axe over the page as it stands; each finding kept for the report. */
async function audit(page, where) {
  // "review": what axe could not decide alone (a contrast over an image or a gradient), for a person to review.
  const found = await runAxe(page);
  visits.push({ ...where, ...found });
  if (!GALLERY && found.violations.some((v) => FAILING.has(v.impact))) {
    await shot(page, `145-a11y-${where.role}-${where.name}-${where.width}${where.dialog ? '-dialog' : ''}`);
  }
}

/**
 * A route checked as the role sees it: wide, then narrow (with the menu open), then with its dialog open if it has one.
 * `ready` waits for what the page loads; `act` brings it to the state checked (a form's errors shown).
 */
async function check(page, role, { name, url, ready, act, dialog }) {
  await page.setViewportSize(DESKTOP);
  await page.goto(url);
  await settled(page);
  if (ready) await ready(page);
  if (act) await act(page);
  await audit(page, { role, name, url, width: DESKTOP.width });
  if (GALLERY) await shot(page, `140-a11y-${role}-${name}`);
  await page.setViewportSize(PHONE);
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await audit(page, { role, name, url, width: PHONE.width, menu: true });
  if (GALLERY) await shot(page, `141-a11y-${role}-${name}-390`);
  for (const zoomed of ZOOMED) {
    await page.setViewportSize(zoomed);
    const out = await stillSticksOut(page);
    if (out.length) {
      reflows.push({ role, name, url, zoom: zoomed.zoom, out });
      await shot(page, `143-a11y-${role}-${name}-${zoomed.width}`);
    }
  }
  await spacedOut(page, { role, name, url });
  if (dialog) {
    await dialog(page);
    await page.getByRole('dialog').waitFor();
    await audit(page, { role, name, url, width: DESKTOP.width, dialog: true });
    if (GALLERY) await shot(page, `142-a11y-${role}-${name}-dialog`);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  }
}

const finding = (v, visit) => `  [${v.impact}] ${v.id}: ${v.help} (${visit.name} ${visit.width} px${visit.dialog ? ', dialog open' : ''})\n`
  + v.targets.map((t) => `      ${t}`).join('\n');

/** Every route of the role, then one assertion naming each serious or critical violation with where it is. */
async function checkRole(role, person, routes) {
  const page = await newPage(browser, DESKTOP);
  if (person) await loginUi(page, person);
  const before = visits.length;
  const reflowsBefore = reflows.length;
  const clippedBefore = clipped.length;
  for (const route of routes) await check(page, role, route);
  const mine = visits.slice(before);
  const all = mine.flatMap((visit) => visit.violations.map((v) => ({ v, visit })));
  const failing = all.filter(({ v }) => FAILING.has(v.impact));
  const count = (impact) => all.filter(({ v }) => v.impact === impact).length;
  const review = mine.reduce((n, visit) => n + visit.review.length, 0);
  console.log(`axe (${role}): ${mine.length} page states; violations: ${count('critical')} critical, ${count('serious')} serious, `
    + `${count('moderate')} moderate, ${count('minor')} minor; ${review} left for a person to review`);
  for (const { v, visit } of all.filter(({ v }) => !FAILING.has(v.impact))) console.log(finding(v, visit));
  await page.context().close();
  assert.equal(failing.length, 0, `serious or critical violations as ${role}:\n${failing.map(({ v, visit }) => finding(v, visit)).join('\n')}`);
  const scrolled = reflows.slice(reflowsBefore).map((r) => `  ${r.name} at ${r.zoom}: ${r.out.join(', ')}`);
  assert.deepEqual(scrolled, [], `pages that scroll sideways when zoomed, as ${role}:\n${scrolled.join('\n')}`);
  const cut = clipped.slice(clippedBefore).map((c) => `  ${c.name} at ${c.width} px: ${c.out.join(', ')}`);
  assert.deepEqual(cut, [], `text cut off with WCAG 1.4.12's spacing, as ${role}:\n${cut.join('\n')}`);
  assert.deepEqual(page.consoleErrors, []);
}

before(async () => {
  browser = await launch();
  const admin = await token(ADMIN.email, ADMIN.password);
  const organizer = await signupApi('Olive');
  const organizerId = (await api('GET', '/users/me', { token: organizer.token })).id;
  await api('PATCH', `/users/${organizerId}`, { token: admin, json: { role: 'organizer' } });
  await api('PUT', '/organizers/me/seller', { token: organizer.token,
    json: { name: 'Olive Events Ltd', address: '1 Market Street\nDublin', country: 'IE', email: 'olive@e2e.test', prefix: 'OLV-' } });
  // Every kind of category a buyer meets: priced, free, and sold out (its waitlist offered).
  const event = await createEvent(organizer.token, { name: unique('Accessible jazz'), description: 'An evening of standards.',
    categories: [{ name: 'General', price: '25.00', capacity: 10 }, { name: 'Standing', price: '0.00', capacity: 20 },
      { name: 'Box', price: '90.00', capacity: 1 }] });
  await api('POST', `/events/${event.id}/vouchers`, { token: organizer.token,
    json: { code: 'FRIENDS', discount: 'percent', value: '10', max_uses: 10 } });
  await api('POST', `/events/${event.id}/vouchers`, { token: organizer.token,
    json: { count: 3, prefix: 'PRESS-', discount: 'set_price', value: '0', max_uses: 1, label: 'press' } });
  await api('POST', '/webhooks', { token: organizer.token,
    json: { url: 'https://93.184.215.14/hooks', event_types: ['event.completed'], event_id: event.id } });

  const customer = await signupApi('Cora');
  const customerId = (await api('GET', '/users/me', { token: customer.token })).id;
  await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'General', quantity: 2 } });
  const free = await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'Standing', quantity: 1 } });
  await api('POST', `/bookings/${free.id}/invoice`, { token: customer.token,
    json: { name: 'Cora Customer', address: '2 Quay Road\nCork', country: 'IE' } });
  const dropped = await api('POST', `/events/${event.id}/book`, { token: customer.token, json: { category: 'General', quantity: 1 } });
  await api('DELETE', `/bookings/${dropped.id}`, { token: customer.token }); // a cancelled booking among theirs
  const box = await api('POST', `/events/${event.id}/book`, { token: (await signupApi('Boxer')).token, json: { category: 'Box', quantity: 1 } });
  await api('POST', `/events/${event.id}/holds`, { token: customer.token, json: { category: 'General', quantity: 1 } });
  await api('POST', '/audit/checkpoints', { token: admin });

  const auditor = { email: `${unique('aude')}@e2e.test`, password: 'password-123' };
  await api('POST', '/users', { token: admin, json: { ...auditor, name: 'Aude Auditor', role: 'auditor' } });
  data = { event, organizer, organizerId, customer, customerId, auditor, ticket: box.tickets[0].code };
});

after(async () => {
  await browser?.close();
  const report = path.join(process.env.E2E_SCREENSHOTS ?? 'artifacts/screenshots', 'axe-report.json');
  writeFileSync(report, `${JSON.stringify(visits, null, 1)}\n`);
  const byRule = new Map();
  for (const [kind, list] of visits.flatMap((visit) => [['violation', visit.violations], ['review', visit.review]])) {
    for (const v of list) {
      const key = `${v.id} [${v.impact}${kind === 'review' ? ', to review' : ''}]`;
      const row = byRule.get(key) ?? { states: 0, elements: 0 };
      row.states += 1;
      row.elements += v.targets.length;
      byRule.set(key, row);
    }
  }
  console.log(`axe: ${visits.length} page states checked; by rule (page states, elements), each visit in ${report}`);
  for (const [key, row] of [...byRule].sort()) console.log(`  ${key}: ${row.states}, ${row.elements}`);
});

/** Open the first dialog a button of that name opens. */
const opens = (name, exact = true) => (page) => page.getByRole('button', { name, exact }).first().click();

test('anonymous: every public route has no serious or critical accessibility violation', async () => {
  const { event, organizerId } = data;
  await checkRole('anonymous', null, [
    { name: 'events', url: '/' },
    { name: 'event', url: `/events/${event.id}`, ready: (p) => p.getByTestId('left-General').waitFor() },
    { name: 'organizer', url: `/organizers/${organizerId}` },
    { name: 'login', url: '/login' },
    { name: 'login-refused', url: '/login', act: async (p) => {
      await p.getByLabel('Email').fill('nobody@e2e.test');
      await p.getByLabel('Password').fill('not-the-password');
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.getByRole('alert').first().waitFor();
    } },
    { name: 'signup', url: '/signup' },
    { name: 'signup-errors', url: '/signup', act: async (p) => {
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.locator('.field__error').first().waitFor();
    } },
    { name: 'my-bookings-signed-out', url: '/my-bookings' },
    { name: 'not-found', url: '/no-such-page' },
  ]);
});

test('customer: their routes, the checkout and the cancel dialog have no serious or critical accessibility violation', async () => {
  const { event, organizerId, customer } = data;
  await checkRole('customer', customer, [
    { name: 'events', url: '/' },
    { name: 'event-checkout', url: `/events/${event.id}`, ready: (p) => p.getByRole('region', { name: 'Your seats are held' }).waitFor() },
    { name: 'my-bookings', url: '/my-bookings', ready: (p) => p.getByTestId('booking').first().waitFor(),
      dialog: opens('Cancel booking') },
    { name: 'account', url: '/account', dialog: opens('Sign out everywhere') },
    { name: 'organizer', url: `/organizers/${organizerId}` },
    { name: 'not-allowed', url: '/admin' },
  ]);
});

test('organizer: the dashboard, an event\'s editor, bookings, box office and vouchers, invoicing and webhooks pass axe', async () => {
  const { event, organizer, ticket } = data;
  const id = event.id;
  await checkRole('organizer', organizer, [
    { name: 'dashboard', url: '/admin', ready: (p) => p.getByTestId(`stats-${event.name}`).waitFor(),
      dialog: (p) => p.getByTestId(`stats-${event.name}`).getByRole('button', { name: 'Cancel' }).click() },
    { name: 'event-manage', url: `/events/${id}`, dialog: opens('Cancel the event') },
    { name: 'event-order-errors', url: `/events/${id}`, act: async (p) => {
      await p.getByLabel('Quantity, General').fill('99');
      await p.getByRole('button', { name: 'Have a voucher code?' }).click();
      await p.getByLabel('Voucher code').fill('FRIENDS');
      await p.locator('.field__error').first().waitFor();
    } },
    { name: 'event-new', url: '/admin/events/new' },
    { name: 'event-new-errors', url: '/admin/events/new', act: async (p) => {
      await p.getByRole('button', { name: 'Publish', exact: true }).click();
      await p.getByText('Give the event a name.').waitFor();
    } },
    { name: 'event-edit', url: `/admin/events/${id}/edit`, ready: (p) => p.getByTestId('category-row').first().waitFor() },
    { name: 'event-bookings', url: `/admin/events/${id}/bookings`, ready: (p) => p.getByRole('cell', { name: 'Cora' }).first().waitFor(),
      dialog: opens('Cancel') },
    { name: 'box-office', url: `/admin/events/${id}/box-office`, ready: (p) => p.getByTestId('seats-General').waitFor() },
    { name: 'box-office-door', url: `/admin/events/${id}/box-office`, act: async (p) => {
      await p.getByLabel('Ticket code').fill(ticket);
      await p.getByRole('button', { name: 'Check in' }).click();
      await p.getByTestId('door-result').waitFor();
    } },
    { name: 'vouchers', url: `/admin/events/${id}/vouchers`, ready: (p) => p.getByText('FRIENDS').first().waitFor(),
      dialog: (p) => p.getByRole('button', { name: 'Disable voucher FRIENDS' }).click() },
    { name: 'invoicing', url: '/invoicing' },
    { name: 'webhooks', url: '/webhooks', dialog: opens('Delete') },
    { name: 'account', url: '/account' },
    { name: 'my-bookings', url: '/my-bookings' },
  ]);
});

test('admin: users, a user\'s bookings, organizers and operations pass axe', async () => {
  const { customerId } = data;
  await checkRole('admin', ADMIN, [
    { name: 'dashboard', url: '/admin' },
    { name: 'users', url: '/admin/users', dialog: opens('Revoke sessions') },
    { name: 'users-form-errors', url: '/admin/users', act: async (p) => {
      await p.getByRole('button', { name: 'Create user' }).click();
      await p.locator('.field__error').first().waitFor();
    } },
    { name: 'user-bookings', url: `/admin/users/${customerId}/bookings` },
    { name: 'organizers', url: '/admin/organizers' },
    { name: 'operations', url: '/admin/operations', dialog: opens('Rebuild') },
    { name: 'webhooks', url: '/webhooks' },
    { name: 'invoicing', url: '/invoicing' },
  ]);
});

test('auditor: the ledger, an event\'s history, revenue, bookings, log, exports and heads pass axe', async () => {
  const { event, auditor } = data;
  await checkRole('auditor', auditor, [
    { name: 'ledger', url: '/audit', ready: (p) => p.getByRole('table', { name: 'Projections' }).waitFor() },
    { name: 'event-history', url: `/audit/events/${event.id}`, ready: (p) => p.getByTestId('state-version').waitFor() },
    { name: 'event-history-past', url: `/audit/events/${event.id}`, ready: (p) => p.getByTestId('state-version').waitFor(),
      act: (p) => p.getByRole('list', { name: 'Event history' }).getByRole('button').first().click() }, // later versions shown as to come
    { name: 'revenue', url: '/audit/revenue' },
    { name: 'bookings', url: '/audit/bookings' },
    { name: 'log', url: '/audit/log' },
    { name: 'exports', url: '/audit/exports' },
    { name: 'heads', url: '/audit/heads' },
    { name: 'account', url: '/account' },
  ]);
});
