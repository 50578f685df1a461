import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { InvoiceAtCheckout } from './invoice-at-checkout';

const buyer = { ...userOf('customer'), name: 'Alice Martin' };
const SELLER = { organizer_id: 'o1', name: 'Jazz Nights GmbH', country: 'DE' };
const REQUESTED = { booking_id: 'b1', status: 'requested', invoice: null, position: 9 };

/** The checkout's side: the step the part registered, run as the buyer pays. */
function renderPart() {
  let step: (() => Promise<boolean>) | null = null;
  const setStep = vi.fn((registered: (() => Promise<boolean>) | null) => { step = registered; });
  renderWithProviders(<InvoiceAtCheckout holdId="h1" organizerId="o1" setStep={setStep} />, { user: buyer });
  const pay = async () => {
    let answer = false;
    await act(async () => { answer = step ? await step() : true; });
    return answer;
  };
  return { pay };
}

async function fillIn() {
  await userEvent.click(await screen.findByRole('checkbox', { name: 'I need an invoice' }));
  await userEvent.type(screen.getByLabelText('Company (optional)'), 'ACME SARL');
  await userEvent.type(screen.getByLabelText('Address'), '1 rue X{Enter}75001 Paris');
  await userEvent.selectOptions(screen.getByLabelText('Country'), 'France');
  await userEvent.type(screen.getByLabelText('VAT ID (optional)'), 'fr40303265045');
}

describe('InvoiceAtCheckout', () => {
  it("offers nothing when the event's organizer issues no invoices", async () => {
    const calls = serveApi({ 'GET /organizers/o1/seller': refuse(404, 'SELLER_NOT_FOUND', "No seller's details are set") });
    const { pay } = renderPart();
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(screen.queryByRole('checkbox', { name: 'I need an invoice' })).toBeNull();
    expect(await pay()).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('asks for nothing while the box is not ticked', async () => {
    const calls = serveApi({ 'GET /organizers/o1/seller': SELLER });
    const { pay } = renderPart();
    expect(await screen.findByRole('checkbox', { name: 'I need an invoice' })).not.toBeChecked();
    expect(screen.queryByLabelText('Address')).toBeNull();
    expect(await pay()).toBe(true);
    expect(calls.map((c) => c.method)).toEqual(['GET']);
  });

  it("reveals the buyer's fields, the signed-in name filled in, and sends them for the hold before the payment", async () => {
    const calls = serveApi({ 'GET /organizers/o1/seller': SELLER, 'POST /holds/h1/invoice': REQUESTED });
    const { pay } = renderPart();
    await fillIn();
    expect(screen.getByLabelText('Your name')).toHaveValue('Alice Martin');
    expect(screen.getByRole('group', { name: 'Invoice details' })).toHaveTextContent('Jazz Nights GmbH issues it once you have paid');
    expect(await pay()).toBe(true);
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.url, c.data])).toEqual([['/holds/h1/invoice', {
      name: 'Alice Martin', company: 'ACME SARL', address: '1 rue X\n75001 Paris', country: 'FR', vat_id: 'FR40303265045',
    }]]);
    expect(screen.getByTestId('invoice-asked')).toHaveTextContent('Invoice asked for, made out to ACME SARL: Jazz Nights GmbH issues it once you have paid.');
    expect(await pay()).toBe(true); // paid again after a declined card: the first request stands, nothing more is sent
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('stops the payment at a VAT ID the API refused, said beside the field, which has the focus', async () => {
    const message = 'The VAT ID is not a valid one (its check digits or its form)';
    const calls = serveApi({
      'GET /organizers/o1/seller': SELLER,
      'POST /holds/h1/invoice': refuse(422, 'INVALID_BUYER', message, [{ loc: ['body', 'vat_id'], msg: message, type: 'INVALID_BUYER' }]),
    });
    const { pay } = renderPart();
    await fillIn();
    expect(await pay()).toBe(false);
    const vat = screen.getByLabelText('VAT ID (optional)');
    await waitFor(() => expect(vat).toHaveAccessibleDescription(message));
    expect(vat).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent(`Not paid yet: correct the invoice details${message}`);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('stops the payment at a field left empty, before sending anything', async () => {
    const calls = serveApi({ 'GET /organizers/o1/seller': SELLER });
    const { pay } = renderPart();
    await userEvent.click(await screen.findByRole('checkbox', { name: 'I need an invoice' }));
    await userEvent.clear(screen.getByLabelText('Your name'));
    expect(await pay()).toBe(false);
    expect(screen.getByLabelText('Your name')).toHaveAccessibleDescription('Enter your name.');
    expect(screen.getByLabelText('Your name')).toHaveFocus();
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('Enter the postal address.');
    expect(calls.map((c) => c.method)).toEqual(['GET']);
  });
});
