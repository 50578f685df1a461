import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { type Call, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';

import type { Seller } from '../api/seller';
import { SellerForm } from './seller-form';

const seller = (over: Partial<Seller> = {}): Seller => ({
  organizer_id: 'organizer-1', name: 'Jazz Nights GmbH', address: 'Torstraße 1\n10119 Berlin', country: 'DE',
  vat_id: 'DE136695976', email: 'billing@jazz.example', prefix: 'JN-', invoices_issued: 0, position: 5, ...over,
});
const NOT_SET = refuse(404, 'SELLER_NOT_FOUND', "No seller's details are set");

async function fillIn() {
  await userEvent.type(screen.getByLabelText('Name on your invoices'), 'Jazz Nights GmbH');
  await userEvent.type(screen.getByLabelText('Address'), 'Torstraße 1{Enter}10119 Berlin');
  await userEvent.selectOptions(screen.getByLabelText('Country'), 'DE');
  await userEvent.type(screen.getByLabelText('VAT ID (optional)'), 'de 136 695 977');
  await userEvent.type(screen.getByLabelText('Invoice number prefix'), 'jn-');
}

describe('SellerForm', () => {
  it('says no invoices are offered before the details are set, then saves them and says where numbering starts', async () => {
    const calls = serveApi({ 'GET /organizers/me/seller': NOT_SET, 'PUT /organizers/me/seller': ({ data }: Call) => seller({ ...(data as object), vat_id: 'DE136695977' }) });
    renderWithProviders(<SellerForm />);
    expect(await screen.findByTestId('no-seller')).toHaveTextContent('You issue no invoices yet');
    await fillIn();
    expect(screen.getByLabelText('Invoice number prefix')).toHaveAccessibleDescription('Each number is the prefix, then five digits: JN-00001');
    await userEvent.click(screen.getByRole('button', { name: 'Save the details' }));
    expect(await screen.findByTestId('seller-saved')).toHaveTextContent('Saved: your invoices name these details from now on.');
    expect(screen.getByTestId('invoice-numbering')).toHaveTextContent('No invoice issued yet: the first will be JN-00001.');
    expect(calls.find((c) => c.method === 'PUT')?.data).toEqual({
      name: 'Jazz Nights GmbH', address: 'Torstraße 1\n10119 Berlin', country: 'DE', vat_id: 'DE 136 695 977', email: null, prefix: 'JN-',
    });
  });

  it("shows a VAT ID the API refused beside its field, in words, until it is edited", async () => {
    serveApi({
      'GET /organizers/me/seller': NOT_SET,
      'PUT /organizers/me/seller': refuse(422, 'INVALID_SELLER', 'The VAT ID is not a valid one (its check digits or its form)',
        [{ loc: ['body', 'vat_id'], msg: 'The VAT ID is not a valid one (its check digits or its form)', type: 'INVALID_SELLER' }]),
    });
    renderWithProviders(<SellerForm />);
    await screen.findByTestId('no-seller');
    await fillIn();
    await userEvent.click(screen.getByRole('button', { name: 'Save the details' }));
    const vat = screen.getByLabelText('VAT ID (optional)');
    await waitFor(() => expect(vat).toHaveAccessibleDescription('The VAT ID is not a valid one (its check digits or its form)'));
    expect(vat).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent(/^Not savedThe VAT ID is not a valid one \(its check digits or its form\)$/);
    await userEvent.type(vat, '6');
    expect(vat).not.toHaveAttribute('aria-invalid', 'true');
  });

  it("starts from the details set, with the last number issued and the next one", async () => {
    serveApi({ 'GET /organizers/me/seller': seller({ invoices_issued: 3 }) });
    renderWithProviders(<SellerForm />);
    expect(await screen.findByTestId('invoice-numbering')).toHaveTextContent('Last number issued: 3; the next invoice is JN-00004.');
    expect(screen.getByLabelText('Name on your invoices')).toHaveValue('Jazz Nights GmbH');
    expect(screen.getByLabelText('Address')).toHaveValue('Torstraße 1\n10119 Berlin');
    expect(screen.getByLabelText('Country')).toHaveValue('DE');
    expect(screen.getByRole('option', { name: 'Germany' })).toHaveProperty('selected', true);
    expect(screen.getByLabelText('E-mail for invoices (optional)')).toHaveValue('billing@jazz.example');
  });

  it('says what is missing before sending anything', async () => {
    const calls = serveApi({ 'GET /organizers/me/seller': NOT_SET });
    renderWithProviders(<SellerForm />);
    await screen.findByTestId('no-seller');
    await userEvent.type(screen.getByLabelText('E-mail for invoices (optional)'), 'billing');
    await userEvent.click(screen.getByRole('button', { name: 'Save the details' }));
    expect(screen.getByLabelText('Name on your invoices')).toHaveAccessibleDescription('Enter the name your invoices are issued under.');
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('Enter the postal address.');
    expect(screen.getByLabelText('E-mail for invoices (optional)')).toHaveAccessibleDescription('An e-mail address, e.g. billing@example.com.');
    expect(screen.getByLabelText('Invoice number prefix')).toHaveAccessibleDescription(/^1 to 16 letters, digits/);
    expect(calls.map((c) => c.method)).toEqual(['GET']);
  });
});
