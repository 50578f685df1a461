// Helpers shared by the E2E specs: the browser, the API for set-up, screenshots.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000';
const SHOTS = process.env.E2E_SCREENSHOTS ?? 'artifacts/screenshots';
export const ADMIN = { email: process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.test', password: process.env.E2E_ADMIN_PASSWORD ?? 'admin-e2e-password' };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/**
 * How long a page may take to show what a step waits for: a bound against a hang, not a measure.
 * Beside the scenarios on two loaded cores, a page's answer was seen to take longer than half of it.
 */
export const PATIENCE_MS = 30_000;

/** A page in a fresh context; `options` adds the context's own, e.g. `{ timezoneId, locale }` for a reader elsewhere. */
export async function newPage(browser, viewport = { width: 1280, height: 860 }, options = {}) {
  const context = await browser.newContext({ viewport, baseURL: BASE, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(PATIENCE_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  page.consoleErrors = errors;
  return page;
}

/** Until the charts' shapes stop moving (they grow in over a second or so), at most `timeout` ms. */
async function chartsSettled(page, timeout = 4_000) {
  const shapes = () => page.evaluate(() => [...document.querySelectorAll('.recharts-surface path, .recharts-surface rect')]
    .map((e) => `${e.getAttribute('d') ?? ''}${e.getAttribute('height') ?? ''}`).join('|'));
  const deadline = Date.now() + timeout;
  let before = await shapes();
  while (before && Date.now() < deadline) {
    await page.waitForTimeout(250);
    const now = await shapes();
    if (now === before) return;
    before = now;
  }
}

export async function shot(page, name) {
  await page.waitForTimeout(150); // let the last paint settle
  await chartsSettled(page);
  // From the top: a page scrolled down paints its sticky header over the middle of a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The repository's root (its .venv and tools/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Click what starts a download and save the file into `dir`; resolves with its path. */
export async function download(page, trigger, dir) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), trigger.click()]);
  const target = path.join(dir, file.suggestedFilename());
  await file.saveAs(target);
  return target;
}

/** A PDF's first page drawn as the screenshot `name` (poppler's pdftoppm, at 70 dpi): its path. */
export function pdfPage(file, name) {
  const target = path.join(SHOTS, name);
  const run = spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, target], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `pdftoppm (Debian's poppler-utils, installed by ./scripts/setup.sh --for-tests) failed: ${run.error ?? run.stderr}`);
  return `${target}.png`;
}

/** Run the offline checker on an export, as the page's command says: its exit status and output. */
export function verifyExport(file, keys) {
  const python = process.platform === 'win32' ? path.join(ROOT, '.venv', 'Scripts', 'python.exe') : path.join(ROOT, '.venv', 'bin', 'python');
  const run = spawnSync(python, [path.join(ROOT, 'tools', 'verify_export.py'), file, '--key', keys],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}`.trim() };
}

/** A datetime-local input's value for a time, in the browser's own time zone. */
export const localInput = (page, when) => page.evaluate((t) => {
  const d = new Date(t);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}, when);

let counter = 0;
export const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

/** A tiny API client for set-up steps (the UI is what the specs test). */
export async function api(method, url, { token, json, form, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(json); }
  if (form) { init.headers['Content-Type'] = 'application/x-www-form-urlencoded'; init.body = new URLSearchParams(form).toString(); }
  const response = await fetch(`${BASE}/api${url}`, init);
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  assert.ok(response.ok, `${method} ${url} -> ${response.status} ${JSON.stringify(body)}`);
  const position = response.headers.get('x-position');
  if (position) await settle(position);
  return body;
}

/** Wait until the projections reached a write's position (a worker may project it later). */
export async function settle(position) {
  await fetch(`${BASE}/api/health?min_position=${position}`);
}

export async function token(email, password) {
  return (await api('POST', '/auth/token', { form: { username: email, password } })).access_token;
}

export async function createEvent(adminToken, fields = {}) {
  const starts = new Date(Date.now() + 21 * 86_400_000).toISOString();
  return api('POST', '/events', {
    token: adminToken,
    json: { name: unique('Concert'), venue: 'Blue Hall', starts_at: starts,
      categories: [{ name: 'General', price: '25.00', capacity: 10 }, { name: 'VIP', price: '80.00', capacity: 4 }],
      max_tickets_per_user: 6, ...fields },
  });
}

export async function signupApi(name) {
  const email = `${unique(name.toLowerCase())}@e2e.test`;
  await api('POST', '/auth/signup', { json: { email, password: 'password-123', name } });
  return { email, password: 'password-123', token: await token(email, 'password-123') };
}

/** The sign-in form's words in each language a spec signs in with. */
export const SIGN_IN_WORDS = {
  en: { email: 'Email', password: 'Password', logIn: 'Log in', logOut: 'Log out' },
  de: { email: 'E-Mail', password: 'Passwort', logIn: 'Anmelden', logOut: 'Abmelden' },
};

export async function loginUi(page, { email, password }, words = SIGN_IN_WORDS.en) {
  await page.goto('/login');
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(password);
  await page.getByRole('button', { name: words.logIn }).click();
  await page.getByRole('button', { name: words.logOut }).waitFor();
}

/**
 * Type into a search field, then wait for its answer: until the results' `entries` are there and each holds the text.
 * Before then the earlier list is on screen, inert while the search loads: a click aimed at it waits, and lands on
 * whatever the answer puts under it, which may be another entry.
 */
export async function searchFor(field, text, entries, timeout = PATIENCE_MS) {
  await field.fill(text);
  const deadline = Date.now() + timeout;
  let seen = [];
  while (Date.now() < deadline) {
    seen = await entries.allTextContents();
    if (seen.length > 0 && seen.every((entry) => entry.includes(text))) return;
    await field.page().waitForTimeout(100);
  }
  assert.fail(`searched for "${text}": the results still read ${JSON.stringify(seen.slice(0, 5))}`);
}

/** The text of the "seats left" line, polled until it matches. */
export async function expectText(locator, pattern, timeout = PATIENCE_MS) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.first().textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  // What the page showed instead, for the reader of a failed run: a screenshot and its text.
  const page = locator.page();
  const shown = path.join(SHOTS, `failed-${Date.now()}.png`);
  await page.screenshot({ path: shown, fullPage: true }).catch(() => undefined);
  const text = ((await page.locator('main').first().innerText({ timeout: 2_000 }).catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 600);
  assert.fail(`expected ${pattern}, last saw "${last}" (the page: ${shown}; its main text: "${text}")`);
}

/** Until `locator` reads `pattern`, the page read again each time (what a worker folds in a moment later), at most `timeout` ms. */
export async function afterReloads(page, locator, pattern, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = (await locator.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
    if (pattern.test(text) || Date.now() > deadline) return expectText(locator, pattern, 1_000);
    await page.waitForTimeout(500);
    await page.reload();
  }
}
