// Run by `E2E_PAYMENTS=localstripe node e2e/run.mjs` (its name holds "payments"): an invoice asked for at checkout is
// issued once the card paid, by the invoices' process manager, and downloaded as its Factur-X PDF.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN, api, createEvent, download, expectText, launch, loginUi, newPage, PATIENCE_MS, pdfPage, ROOT, shot, signupApi, token, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BERLIN = { timezoneId: 'Europe/Berlin', locale: 'en-GB' };
const PARIS = { timezoneId: 'Europe/Paris', locale: 'en-GB' };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const WRONG_VAT_ID = /^The VAT ID is not a valid one \(its check digits or its form\)$/;

/** Type a card into localstripe's card field (its Stripe.js draws plain inputs). */
async function typeCard(page, number) {
  const field = page.getByTestId('card-field');
  await field.locator('input[placeholder="number"]').fill(number);
  await field.locator('input[placeholder="exp_month"]').fill('12');
  await field.locator('input[placeholder="exp_year"]').fill('34');
  await field.locator('input[placeholder="cvc"]').fill('123');
  await field.locator('input[placeholder="postal_code"]').fill('75001');
}

/** Until the text that describes a field to a screen reader (its aria-describedby) matches. */
async function expectDescription(field, pattern, timeout = PATIENCE_MS) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    const id = await field.getAttribute('aria-describedby');
    last = id ? ((await field.page().locator(`[id="${id}"]`).textContent({ timeout: 1_000 }).catch(() => null)) ?? '') : '';
    if (pattern.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected the field to be described as ${pattern}, last saw "${last}"`);
}

/** A PDF's bytes as text, its literal strings' octal escapes read ("factur\055x" is "factur-x"). */
const pdfStrings = (bytes) => bytes.toString('latin1').replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));

/** The EN 16931 XML a Factur-X PDF carries, as the factur-x library (the API's own) reads it. */
function facturXml(file) {
  const read = spawnSync(path.join(ROOT, '.venv', 'bin', 'python'), ['-c',
    'import sys, facturx\nname, xml = facturx.get_facturx_xml_from_pdf(open(sys.argv[1], "rb").read())\n'
    + 'assert name == "factur-x.xml", name\nsys.stdout.write(xml.decode())', file], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(read.status, 0, read.stderr);
  return read.stdout;
}

/** Both widths of a page: the desktop's shot, then the phone's. */
async function shots(page, name) {
  await shot(page, name);
  await page.setViewportSize(PHONE);
  await shot(page, `${name}-390`);
  await page.setViewportSize(DESKTOP);
}

test("an organizer sets their seller's details; a buyer asks for an invoice at checkout, pays by card with a voucher and downloads it; the organizer finds it in their invoicing and the box office", async () => {
  const admin = await token(ADMIN.email, ADMIN.password);
  const olga = await signupApi('Olga');
  const olgaId = (await api('GET', '/users/me', { token: olga.token })).id;
  await api('PATCH', `/users/${olgaId}`, { token: admin, json: { role: 'organizer' } });

  // The organizer's invoicing, from the navigation: a VAT ID failing its check digits is said at its field, in words.
  const office = await newPage(browser, DESKTOP, BERLIN);
  await loginUi(office, olga);
  await office.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoicing' }).click();
  await office.getByRole('heading', { name: 'Invoicing', level: 1 }).waitFor();
  await expectText(office.getByTestId('no-seller'), /^You issue no invoices yet/);
  const seller = office.getByRole('form', { name: "Seller's details" });
  await seller.getByLabel('Name on your invoices').fill('Jazz Nights GmbH');
  await seller.getByLabel('Address').fill('Torstraße 1\n10119 Berlin');
  await seller.getByLabel('Country').selectOption({ label: 'Germany' });
  const vatId = seller.getByLabel('VAT ID (optional)');
  await vatId.fill('DE 136 695 977');
  await seller.getByLabel('E-mail for invoices (optional)').fill('billing@jazz.example');
  await seller.getByLabel('Invoice number prefix').fill('jn-');
  await seller.getByRole('button', { name: 'Save the details' }).click();
  await expectDescription(vatId, WRONG_VAT_ID);
  assert.equal(await vatId.getAttribute('aria-invalid'), 'true');
  await expectText(seller.getByRole('alert'), /^Not saved/);
  await shots(office, '130-seller-vat-refused');
  await vatId.fill('DE 136 695 976');
  await seller.getByRole('button', { name: 'Save the details' }).click();
  await expectText(office.getByTestId('seller-saved'), /^Saved: your invoices name these details from now on\.$/);
  await expectText(office.getByTestId('invoice-numbering'), /^No invoice issued yet: the first will be JN-00001\.$/);
  assert.equal(await vatId.inputValue(), 'DE136695976'); // as the API keeps it
  await shot(office, '131-seller-saved');

  // A night with 19 % VAT in its price, and a voucher for friends.
  const event = await createEvent(olga.token, { name: unique('Invoice night'), timezone: 'Europe/Berlin',
    categories: [{ name: 'Stalls', price: '23.80', capacity: 10 }],
    taxes: [{ name: 'VAT', rate: '19', inclusive: true, categories: ['Stalls'] }] });
  await api('POST', `/events/${event.id}/vouchers`, { token: olga.token,
    json: { code: 'FRIENDS', prefix: '', discount: 'percent', value: '10', max_uses: 10 } });

  // The buyer holds two seats with the voucher and asks for an invoice to their company.
  const page = await newPage(browser, DESKTOP, PARIS);
  const buyer = await signupApi('Alice');
  await loginUi(page, buyer);
  await page.goto(`/events/${event.id}`);
  await page.getByLabel('Quantity, Stalls').fill('2');
  await page.getByRole('button', { name: 'Have a voucher code?' }).click();
  await page.getByLabel('Voucher code').fill('friends');
  await page.getByRole('button', { name: 'Reserve seats' }).click();
  const checkout = page.getByRole('region', { name: 'Your seats are held' });
  await checkout.waitFor();
  await expectText(checkout.getByTestId('hold-total'), /^€42\.84$/);
  await expectText(checkout.getByTestId('tax-lines'), /VAT 19\s?%.*€6\.84/);
  const wanted = checkout.getByRole('checkbox', { name: 'I need an invoice' });
  assert.equal(await wanted.isChecked(), false);
  await wanted.check();
  const details = checkout.getByRole('group', { name: 'Invoice details' });
  await expectText(details, /Jazz Nights GmbH issues it once you have paid/);
  assert.equal(await details.getByLabel('Your name').inputValue(), 'Alice'); // the account's name, to start from
  await details.getByLabel('Your name').fill('Alice Martin');
  await details.getByLabel('Company (optional)').fill('ACME SARL');
  await details.getByLabel('Address').fill('1 rue X\n75001 Paris');
  await details.getByLabel('Country').selectOption('FR');
  const buyerVatId = details.getByLabel('VAT ID (optional)');
  await buyerVatId.fill('FR00303265045');
  await checkout.getByTestId('card-field').locator('input').first().waitFor();
  await typeCard(page, '4242424242424242');

  // A VAT ID failing its check: nothing is paid, the field says why and has the focus.
  await checkout.getByRole('button', { name: 'Pay €42.84' }).click();
  await expectDescription(buyerVatId, WRONG_VAT_ID);
  await expectText(checkout.getByRole('alert'), /^Not paid yet: correct the invoice details/);
  assert.equal(await buyerVatId.evaluate((input) => input === document.activeElement), true);
  const me = await api('GET', '/users/me', { token: buyer.token });
  const [hold] = (await api('GET', `/users/${me.id}/holds`, { token: buyer.token })).items;
  assert.equal(hold.status, 'active');
  await shots(page, '132-checkout-invoice-refused');

  await buyerVatId.fill('FR40303265045');
  await checkout.getByRole('button', { name: 'Pay €42.84' }).click();
  const confirmation = page.getByTestId('booking-confirmation');
  await confirmation.waitFor();
  await expectText(confirmation.getByTestId('booking-total'), /^€42\.84$/);
  await expectText(confirmation.getByTestId('invoice-note'), /You asked for an invoice|Your invoice is issued/);
  await shot(page, '133-booked-invoice-asked');
  // Issued by the process manager seconds after the payment, the confirmation offers it.
  await expectText(confirmation.getByTestId('invoice-note'), /^Your invoice is issued.*Invoice JN-00001 \(PDF\)/, 30_000);
  await shots(page, '134-booked-invoice-issued');

  // My bookings: the invoice to download, a Factur-X PDF (its EN 16931 XML inside).
  await page.goto('/my-bookings');
  const booking = page.getByTestId('booking').filter({ hasText: event.name });
  const invoice = booking.getByRole('button', { name: 'Invoice JN-00001 (PDF)' });
  await invoice.waitFor({ timeout: 30_000 });
  await expectText(booking.getByTestId('invoice-JN-00001'), /€42\.84 · issued/);
  assert.equal(await booking.getByRole('button', { name: 'Ask for an invoice' }).count(), 0);
  await shots(page, '135-my-bookings-invoice');
  const dir = mkdtempSync(path.join(tmpdir(), 'invoices-'));
  const pdf = await download(page, invoice, dir);
  assert.equal(path.basename(pdf), 'invoice-JN-00001.pdf');
  const bytes = readFileSync(pdf);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdfStrings(bytes).includes('/F (factur-x.xml)'), 'the PDF carries its factur-x.xml');
  const xml = facturXml(pdf);
  assert.match(xml, /<rsm:ExchangedDocument>\s*<ram:ID>JN-00001<\/ram:ID>/);
  assert.match(xml, /FR40303265045/);
  const drawn = pdfPage(pdf, '136-invoice-pdf');
  assert.ok(statSync(drawn).size > 10_000, 'the invoice was drawn');
  assert.deepEqual(page.consoleErrors, []);

  // The organizer: the last number issued, the invoice in the list and in the accountant's CSV.
  await office.reload();
  await expectText(office.getByTestId('invoice-numbering'), /^Last number issued: 1; the next invoice is JN-00002\.$/);
  const row = office.getByTestId('invoice-JN-00001');
  await expectText(row, /ACME SARL/);
  await expectText(row.getByTestId('invoice-gross'), /^€42\.84$/);
  await expectText(row, /€36\.00.*€6\.84/);
  const csv = await download(office, office.getByRole('button', { name: 'Download CSV for your accountant' }), dir);
  const [header, line, ...more] = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
  assert.match(header, /^number,kind,cancels,issued_at,booking,event,buyer,buyer_vat_id,buyer_country,currency,net,tax,gross,taxes$/);
  assert.match(line, /^JN-00001,invoice,,.*,ACME SARL,FR40303265045,FR,EUR,36\.00,6\.84,42\.84,VAT 19(\.0+)?%: 6\.84$/);
  assert.deepEqual(more, []);
  await shots(office, '137-invoicing-issued');

  // The event's box office lists it too.
  await office.goto(`/admin/events/${event.id}/box-office`);
  const invoices = office.getByRole('region', { name: 'Invoices' });
  await expectText(invoices.getByTestId('invoice-JN-00001'), /ACME SARL/);
  await invoices.getByRole('button', { name: 'Download CSV' }).waitFor();
  await invoices.scrollIntoViewIfNeeded();
  await shots(office, '138-box-office-invoices');
  assert.deepEqual(office.consoleErrors, []);
  await office.context().close();
  await page.context().close();
});
