import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, api, expectText, launch, loginUi, newPage, shot, signupApi, unique } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an admin creates an event with two categories and sees its revenue after a booking', async () => {
  const page = await newPage(browser);
  await loginUi(page, ADMIN);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { name: /Organizer dashboard/ }).waitFor();
  await page.getByRole('link', { name: '+ New event' }).click();

  const name = unique('Gala');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Give the event a name.').waitFor(); // validation before sending
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Venue').fill('Opera House');
  await page.getByLabel('Tickets per person').fill('4');
  const rows = page.getByTestId('category-row');
  await rows.nth(0).getByLabel('Price').fill('40');
  await rows.nth(0).getByLabel('Capacity').fill('100');
  await page.getByRole('button', { name: '+ Add category' }).click();
  await rows.nth(1).getByLabel('Category name').fill('Balcony');
  await rows.nth(1).getByLabel('Price').fill('65.50');
  await rows.nth(1).getByLabel('Capacity').fill('0');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('A whole number of seats.').waitFor();
  await rows.nth(1).getByLabel('Capacity').fill('20');
  await shot(page, '10-admin-create-event');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();

  await page.getByRole('heading', { name }).waitFor();
  await expectText(page.getByTestId('left-Balcony'), /^20 \/ 20$/);
  const eventId = page.url().split('/events/')[1];

  const customer = await signupApi('Greta');
  await api('POST', `/events/${eventId}/book`, { token: customer.token, json: { category: 'Balcony', quantity: 2 },
    headers: { 'Idempotency-Key': unique('key') } });

  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  const row = page.getByTestId(`stats-${name}`);
  await expectText(row.getByTestId('revenue'), /131[.,]00/);
  await page.locator('.recharts-surface').first().waitFor();
  await shot(page, '11-admin-dashboard');

  await row.getByRole('link', { name: 'Bookings' }).click();
  await page.getByRole('cell', { name: 'Greta' }).waitFor();
  const code = (await page.locator('.mini-ticket code').first().textContent()).trim();
  await shot(page, '12-admin-event-bookings');

  // The box office's door: the holder's name and category, a second scan says when, an undo.
  await page.getByRole('link', { name: 'Box office' }).click();
  await expectText(page.getByTestId('seats-Balcony').getByTestId('sold'), /^2$/);
  await page.getByLabel('Ticket code').fill(code);
  await page.getByRole('button', { name: 'Check in' }).click();
  await expectText(page.getByTestId('door-result'), /Welcome, Greta!.*Balcony · checked in \w{3}, .* UTC[+\u2212]\d/);
  await page.getByLabel('Ticket code').fill(code);
  await page.getByRole('button', { name: 'Check in' }).click();
  await expectText(page.getByTestId('door-result'), /Already checked in \w{3}, .* UTC[+\u2212]\d.*Greta · Balcony/);
  await expectText(page.getByTestId('check-in-count'), /^1 of 2 tickets checked in$/);
  await expectText(page.getByTestId(`attendee-${code}`), /Checked in \w{3}, .* UTC[+\u2212]\d/);
  await shot(page, '13-admin-box-office');
  await page.getByRole('button', { name: 'Undo that check-in' }).click();
  await page.getByText(`Check-in of ${code} undone: the ticket is live again.`).waitFor();
  await expectText(page.getByTestId('check-in-count'), /^0 of 2 tickets checked in$/);
  await page.getByRole('link', { name: '← Dashboard' }).click();

  // Edit: raise a capacity and add a category; the event page shows both.
  await page.getByTestId(`stats-${name}`).getByRole('link', { name: 'Edit' }).click();
  const editRows = page.getByTestId('category-row');
  await editRows.nth(1).getByLabel('Capacity').fill('1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('At least 2: that many are sold.').waitFor();
  await editRows.nth(1).getByLabel('Capacity').fill('25');
  await page.getByRole('button', { name: '+ Add category' }).click();
  await editRows.nth(2).getByLabel('Category name').fill('Box');
  await editRows.nth(2).getByLabel('Price').fill('120');
  await editRows.nth(2).getByLabel('Capacity').fill('6');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name }).waitFor();
  await expectText(page.getByTestId('left-Balcony'), /^23 \/ 25$/);
  await expectText(page.getByTestId('left-Box'), /^6 \/ 6$/);

  // Cancel the event (with a confirmation step): its booking is refunded.
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByTestId(`stats-${name}`).getByRole('button', { name: 'Cancel' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Cancel the event' }).click();
  await expectText(page.getByTestId(`stats-${name}`).locator('.badge'), /cancelled/i);
  await expectText(page.getByTestId(`stats-${name}`).locator('td.num').nth(3), /131[.,]00/); // refunds
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('an admin creates an auditor on the users page; the auditor logs in to the audit workspace, not the admin one', async () => {
  const page = await newPage(browser);
  await loginUi(page, ADMIN);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('navigation', { name: 'Admin workspace' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

  const form = page.getByRole('form', { name: 'Create a user' });
  const auditor = { name: 'Ines Inspector', email: `${unique('ines')}@e2e.test`, password: 'password-123' };
  await form.getByLabel('Name').fill(auditor.name);
  await form.getByLabel('Email').fill(auditor.email);
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByText('At least 8 characters.').waitFor(); // checked before sending
  await form.getByLabel('Password').fill(auditor.password);
  await form.getByLabel('Role').selectOption('auditor');
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByText(`Created ${auditor.name} (${auditor.email}) as auditor.`).waitFor();

  const row = page.getByTestId(`user-${auditor.email}`);
  await page.getByRole('search', { name: 'Find users' }).getByLabel('Search users').fill(auditor.email);
  await row.waitFor();
  assert.equal(await row.getByRole('combobox', { name: `Role of ${auditor.name}` }).inputValue(), 'auditor');
  await page.getByRole('search', { name: 'Find users' }).getByLabel('Search users').fill('');
  await page.getByRole('search', { name: 'Find users' }).getByLabel('Search users').blur();
  await row.waitFor();
  await page.getByTestId(`user-${ADMIN.email}`).waitFor(); // the whole list again
  await shot(page, '19-admin-users');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();

  // The new auditor logs in: the audit workspace is theirs, the admin one is not.
  const theirs = await newPage(browser);
  await loginUi(theirs, auditor);
  await theirs.getByRole('link', { name: /Ines Inspector/ }).waitFor();
  const nav = theirs.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link', { name: 'Admin', exact: true }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'My bookings' }).count(), 0);
  await nav.getByRole('link', { name: 'Audit', exact: true }).click();
  await theirs.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
  await theirs.getByRole('navigation', { name: 'Audit workspace' }).getByRole('link', { name: 'Revenue' }).waitFor();
  await theirs.getByRole('table', { name: 'Projections' }).waitFor();
  await theirs.goto('/admin/users');
  await theirs.getByTestId('not-allowed').getByText('you are signed in as auditor').waitFor();
  assert.equal(await theirs.getByRole('navigation', { name: 'Admin workspace' }).count(), 0);
  assert.deepEqual(theirs.consoleErrors, []);
  await theirs.context().close();
});
