// The shop in the buyer's language: a browser set to German sees the events, an event's page and the whole purchase in
// German, with German dates (in the venue's zone, labelled) and German prices; a Polish browser sees the event's page
// in Polish. Both pages are photographed at a phone's width, where long words must still fit. The confirmation mailed
// is German too: its subject, its greeting and its tickets' PDF (read with poppler's pdftotext).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, expectText, launch, newPage, ROOT, shot, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BERLIN = { timezoneId: 'Europe/Berlin', locale: 'de-DE' };
const WARSAW = { timezoneId: 'Europe/Warsaw', locale: 'pl-PL' };
const PHONE = { width: 390, height: 844 };
// An evening next winter, at 19:30 in Berlin (UTC+1 then).
const year = new Date().getUTCFullYear() + 1;
const STARTS = `${year}-12-18T18:30:00Z`;
// German as Intl writes it: "Fr., 18. Dez. 2026, 19:30 UTC+1 (Berlin)" (the weekday and month abbreviated).
const GERMAN_TIME = new RegExp(`^(Mo|Di|Mi|Do|Fr|Sa|So)\\., 18\\. Dez\\. ${year}, 19:30 UTC\\+1 \\(Berlin\\)$`);
const POLISH_TIME = new RegExp(`^(pon|wt|śr|czw|pt|sob|niedz)\\., 18 gru ${year}, 19:30 UTC\\+1 \\(Berlin\\)$`);

let event;

/** The confirmation e-mailed to `email` for the event, from the outbox the embedded server writes (the .eml files),
 * polled until it is there. */
async function confirmationTo(email, eventName, timeout = 20_000) {
  const outbox = path.resolve(ROOT, process.env.MAIL_OUTBOX_DIR ?? 'data/outbox');
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const found = readdirSync(outbox, { withFileTypes: true }).filter((f) => f.name.endsWith('.eml'))
      .map((f) => readFileSync(path.join(outbox, f.name), 'utf8'))
      .find((mail) => mail.includes(`<${email}>`) && mail.includes('X-Ledger-Message-Kind: booking_confirmed'));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  return assert.fail(`no confirmation to ${email} for ${eventName} in ${outbox}`);
}

/** The text of the PDF attached to a mail (its base64 part, decoded), as poppler's pdftotext reads it. */
function attachedPdfText(mail) {
  const part = mail.split(/\r?\n--/).find((p) => /^Content-Type: application\/pdf/im.test(p));
  assert.ok(part, 'no PDF attached to the confirmation');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'e2e-pdf-')), 'tickets.pdf');
  writeFileSync(file, Buffer.from(part.split(/\r?\n\r?\n/).slice(1).join('').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  const run = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `pdftotext (Debian's poppler-utils, installed by ./scripts/setup.sh --for-tests) failed: ${run.error ?? run.stderr}`);
  return run.stdout.replace(/\u00a0/g, ' ');
}

/** A mail's Subject as a person reads it: its folded lines joined, its RFC 2047 words ("=?utf-8?q?f=C3=BCr?=")
 * decoded. */
function subjectOf(mail) {
  const head = mail.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const raw = /^Subject: (.*)$/m.exec(head)?.[1] ?? '';
  return raw.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset, kind, text) => {
    const bytes = kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, hex) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    return new TextDecoder(charset).decode(bytes);
  });
}

test('a German browser finds the event in German: the list and the page, with German dates and prices', async () => {
  event = await createEvent(await token(ADMIN.email, ADMIN.password), {
    name: unique('Sommernachtskonzert'), venue: 'Philharmonie Berlin', timezone: 'Europe/Berlin', starts_at: STARTS,
    description: 'Kammermusik unter freiem Himmel.',
    categories: [{ name: 'Stehplatz', price: '25.00', capacity: 10 }, { name: 'Ehrenloge', price: '1234.50', capacity: 4 }],
  });
  const page = await newPage(browser, { width: 1280, height: 900 }, BERLIN);

  await page.goto('/');
  await page.getByRole('heading', { name: 'Finden Sie Ihren nächsten Abend' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await page.getByRole('combobox', { name: 'Sprache' }).inputValue(), 'de');
  const card = page.getByRole('article').filter({ hasText: event.name });
  await expectText(card.locator('.price'), /^ab 25,00\s€$/);
  await expectText(card.getByTestId('seats-left'), /^14 von 14 Plätzen frei$/);
  await shot(page, '160-de-events');

  await card.getByRole('link', { name: event.name }).click();
  await page.getByRole('heading', { name: event.name }).waitFor();
  await expectText(page.getByTestId('event-time'), GERMAN_TIME);
  const categories = page.getByRole('table', { name: 'Ticketkategorien' });
  await categories.getByRole('columnheader', { name: 'Freie Plätze' }).waitFor();
  await expectText(categories.getByRole('row', { name: /Stehplatz/ }), /25,00\s€/);
  await expectText(categories.getByRole('row', { name: /Ehrenloge/ }), /1\.234,50\s€/);
  await expectText(page.getByText(/^Limit: /), /^Limit: 6 Tickets pro Person\.$/);
  const aside = page.getByRole('complementary', { name: 'Buchung' });
  await aside.getByText('Melden Sie sich an oder erstellen Sie ein Konto, um zu buchen.').waitFor(); // signed out
  await aside.getByRole('link', { name: 'Anmelden' }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
});

test('a German buyer signs up, reserves, confirms and reads the confirmation in German', async () => {
  const page = await newPage(browser, { width: 1280, height: 900 }, BERLIN);
  await page.goto(`/events/${event.id}`);
  await page.getByRole('complementary', { name: 'Buchung' }).getByRole('link', { name: 'Registrieren' }).click();
  await page.getByRole('heading', { name: 'Konto erstellen' }).waitFor();
  await page.getByLabel('Name').fill('Greta Käufer');
  const email = `${unique('greta')}@e2e.test`;
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Passwort').fill('kurz');
  await page.getByRole('button', { name: 'Konto erstellen' }).click();
  await page.getByText('Verwenden Sie mindestens 8 Zeichen.').waitFor(); // checked before sending, in German
  await page.getByLabel('Passwort').fill('passwort-123');
  await page.getByRole('button', { name: 'Konto erstellen' }).click();
  await page.getByRole('button', { name: 'Abmelden' }).waitFor();
  await page.getByRole('heading', { name: event.name }).waitFor(); // back to the event

  const booking = page.getByRole('complementary', { name: 'Buchung' });
  await expectText(booking.getByRole('heading', { level: 2 }), /^Tickets buchen$/);
  await booking.getByLabel('Anzahl, Stehplatz').fill('11');
  await booking.getByText('In dieser Kategorie sind nur noch 10 Plätze frei.').waitFor();
  await booking.getByLabel('Anzahl, Stehplatz').fill('2');
  await booking.getByLabel('Anzahl, Ehrenloge').fill('1');
  await expectText(booking.getByTestId('order-total'), /^Gesamt 1\.284,50\s€ · 3 Tickets in 2 Kategorien$/);
  await expectText(booking.locator('.booking-form__note'), /^Reservierte Plätze gehören 10 Minuten lang Ihnen/);
  await shot(page, '161-de-order');
  await booking.getByRole('button', { name: 'Plätze reservieren' }).click();

  const hold = page.getByRole('region', { name: 'Ihre Plätze sind reserviert' });
  await hold.waitFor();
  await expectText(hold.getByTestId('hold-total'), /^1\.284,50\s€$/);
  await expectText(hold.getByTestId('hold-until'), /^bis (Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+\.? \d{4}, \d\d:\d\d UTC\+\d$/);
  await shot(page, '162-de-hold');
  await hold.getByRole('button', { name: 'Buchung bestätigen' }).click();

  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await expectText(confirmation.getByRole('heading', { level: 2 }), /^✓ Gebucht: 2 × Stehplatz, 1 × Ehrenloge$/);
  await expectText(confirmation.getByTestId('booking-total'), /^1\.284,50\s€$/);
  await expectText(confirmation.getByTestId('tickets-emailed'),
    new RegExp(`^Ihre Tickets wurden an ${email.replace(/\./g, '\\.')} gesendet, als PDF mit einem QR-Code für jedes\\.`));
  assert.equal(await confirmation.getByTestId('ticket').count(), 3);
  await confirmation.getByRole('img', { name: /^QR-Code des Tickets / }).first().waitFor();
  await shot(page, '163-de-confirmation');

  await confirmation.getByRole('link', { name: 'Meine Buchungen ansehen' }).click();
  await page.getByRole('heading', { name: 'Meine Buchungen', level: 1 }).waitFor();
  const mine = page.getByTestId('booking').filter({ hasText: event.name });
  await expectText(mine.getByTestId('booked-at'), /^Gebucht am (Mo|Di|Mi|Do|Fr|Sa|So)\., /);
  await expectText(mine.locator('.badge').first(), /^bestätigt$/);
  await mine.getByRole('button', { name: 'Buchung stornieren' }).waitFor();
  await shot(page, '164-de-my-bookings');
  assert.deepEqual(page.consoleErrors, []);

  // The account keeps the language it was made in (sign-up sent the page's): its messages go out in it.
  const me = await api('GET', '/users/me', { token: await token(email, 'passwort-123') });
  assert.equal(me.language, 'de');
  // The distributed run starts no worker for the outbound queue (`workers.celery_app`): its messages are never sent.
  if (process.env.E2E_BACKEND === 'distributed') return;
  const mail = await confirmationTo(email, event.name);
  assert.equal(subjectOf(mail), `Ihre Tickets für ${event.name}`);
  assert.match(mail, /^Guten Tag /m, 'the confirmation greets the buyer in German');
  // Its tickets, a page each: the holder, the price and the start in German words, dates and money.
  const tickets = attachedPdfText(mail);
  assert.match(tickets, /Inhaber: /, tickets);
  assert.match(tickets, /Preis: 25,00 €/, tickets);
  assert.match(tickets, /Preis: 1\.234,50 €/, tickets);
  assert.match(tickets, new RegExp(`18\\. Dez\\. ${year}`), tickets);
});

test("the event's page at a phone's width, in German and in Polish (docs/screenshots)", async () => {
  const german = await newPage(browser, PHONE, BERLIN);
  await german.goto(`/events/${event.id}`);
  await german.getByRole('heading', { name: event.name }).waitFor();
  await expectText(german.getByTestId('event-time'), GERMAN_TIME);
  // Nothing wider than the phone: long German words wrap or hyphenate, never push the page sideways.
  assert.ok(await german.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the German page scrolls sideways');
  await shot(german, '165-event-page-de');

  const polish = await newPage(browser, PHONE, WARSAW);
  await polish.goto(`/events/${event.id}`);
  await polish.getByRole('heading', { name: event.name }).waitFor();
  assert.equal(await polish.evaluate(() => document.documentElement.lang), 'pl');
  await polish.getByRole('table', { name: 'Kategorie biletów' }).waitFor();
  await expectText(polish.getByTestId('event-time'), POLISH_TIME);
  await expectText(polish.getByText(/^Limit: /), /^Limit: 6 biletów na osobę\.$/);
  assert.ok(await polish.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the Polish page scrolls sideways');
  await shot(polish, '166-event-page-pl');

  // Chosen on the page: the switcher in the header (the phone's menu) turns it to English and keeps it.
  await polish.getByRole('button', { name: 'Menu' }).click();
  await shot(polish, '167-menu-pl');
  await polish.getByRole('combobox', { name: 'Język' }).selectOption('en');
  await polish.getByRole('table', { name: 'Ticket categories' }).waitFor();
  assert.equal(await polish.evaluate(() => document.documentElement.lang), 'en');
  await polish.reload();
  await polish.getByRole('table', { name: 'Ticket categories' }).waitFor();
});
