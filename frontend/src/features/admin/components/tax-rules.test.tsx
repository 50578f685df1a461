import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { createEvent, updateEvent, useSaveEvent } from '../api/events';
import { EventForm } from './event-form';
import { renameTaxed, taxFormKey, taxRate, validateTaxes, type TaxRow } from './tax-terms';

const existing = (over: Partial<LedgerEvent> = {}) => ({
  id: 'e1', name: 'Gala', description: '', venue: 'Hall', starts_at: '2030-02-01T19:00:00Z', ends_at: null,
  currency: 'EUR', status: 'active', max_tickets_per_user: null, hold_seconds: null, total_seats: 120, available_seats: 120,
  categories: [
    { name: 'Stalls', price: '40.00', capacity: 100, sold: 0, held: 0, waitlisted: 0, available: 100 },
    { name: 'Balcony', price: '60.00', capacity: 20, sold: 0, held: 0, waitlisted: 0, available: 20 },
  ],
  created_at: '2029-12-01T10:00:00Z', organizer_id: null, organizer_name: null, co_organizers: [], timezone: 'UTC',
  published: true, taxes: [{ name: 'VAT', rate: '20', inclusive: true, categories: ['Stalls', 'Balcony'] }], ...over,
}) as LedgerEvent;

const rule = (over: Partial<TaxRow> = {}): TaxRow => ({ name: 'VAT', rate: '20', inclusive: true, categories: ['Stalls'], ...over });
const taxRows = () => screen.queryAllByTestId('tax-row');

/** The create form filled with a valid event: one category, General at 40. */
async function fillNewEvent() {
  await userEvent.type(screen.getByLabelText('Name'), 'Gala');
  const [first] = screen.getAllByTestId('category-row');
  await userEvent.type(within(first).getByLabelText('Price'), '40');
  await userEvent.type(within(first).getByLabelText('Capacity'), '100');
}

describe('the rules as typed', () => {
  it('reads a rate from 0 to 100 in thousandths, with a comma or a % too', () => {
    expect(['20', ' 8.875 ', '8,875', '20 %', '0', '100'].map(taxRate)).toEqual(['20', '8.875', '8.875', '20', '0', '100']);
    for (const bad of ['', '101', '1.2345', '-1', 'twenty', '20%%']) expect(taxRate(bad)).toBeUndefined();
  });

  it('names each problem at its rule', () => {
    const rows = [
      rule(),
      rule({ name: ' vat ', rate: '120', categories: ['Stalls', 'Balcony'] }),
      rule({ name: '', categories: [] }),
      rule({ name: 'x'.repeat(41), categories: ['Gone'] }),
    ];
    expect(validateTaxes(rows, ['Stalls', 'Balcony'])).toEqual({
      'taxes.1.name': 'Each tax needs a name of its own.',
      'taxes.1.rate': 'A rate from 0 to 100, e.g. 20 or 8.875.',
      'taxes.1.categories': 'Stalls has a tax already (VAT): a category takes one tax at most.',
      'taxes.2.name': 'Name the tax as buyers will read it, e.g. VAT.',
      'taxes.2.categories': 'Tick the categories it applies to.',
      'taxes.3.name': 'At most 40 characters.',
      'taxes.3.categories': 'Tick the categories it applies to.', // a category no longer in the form counts for none
    });
    expect(validateTaxes([rule(), rule({ name: 'Sales tax', rate: '8.875', inclusive: false, categories: ['Balcony'] })],
      ['Stalls', 'Balcony'])).toEqual({});
  });

  it("follows a category renamed or removed, and places the API's paths at their fields", () => {
    expect(renameTaxed([rule({ categories: ['Stalls', 'Balcony'] })], 'Balcony', 'Circle')[0].categories).toEqual(['Stalls', 'Circle']);
    expect(renameTaxed([rule({ categories: ['Stalls', 'Balcony'] })], 'Balcony', '')[0].categories).toEqual(['Stalls']);
    expect(['taxes.1.categories', 'taxes.0.categories.2', 'taxes.0.rate', 'taxes', 'taxes.0', 'name'].map(taxFormKey))
      .toEqual(['taxes.1.categories', 'taxes.0.categories', 'taxes.0.rate', 'taxes', 'taxes', undefined]);
  });
});

describe('the Taxes section of a new event', () => {
  it('sends no taxes when none were added', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    expect(screen.getByTestId('no-taxes')).toHaveTextContent('No taxes: buyers pay the prices above.');
    await fillNewEvent();
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toHaveProperty('taxes', null);
  });

  it('adds a VAT included in the prices on every category, its name focused, and sends it', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    await fillNewEvent();
    await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    const [row] = taxRows();
    expect(within(row).getByLabelText('Tax name')).toHaveFocus();
    expect(within(row).getByRole('checkbox', { name: 'Prices include this tax' })).toBeChecked();
    expect(within(row).getByRole('group', { name: 'Applies to' })).toBeInTheDocument();
    expect(within(row).getByRole('checkbox', { name: 'General' })).toBeChecked();
    await userEvent.keyboard('VAT');
    await userEvent.type(within(row).getByLabelText('Rate (%)'), '20');
    expect(within(row).getByTestId('tax-preview')).toHaveTextContent(/^Buyers read: General €\s?40\.00 incl\. 20 % VAT$/);
    expect(screen.getByRole('group', { name: 'Tax 1: VAT' })).toBe(row);
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ taxes: [{ name: 'VAT', rate: '20', inclusive: true, categories: ['General'] }] });
  });

  it('sends a sales tax added on top, on the category ticked, a category renamed still ticked', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    await fillNewEvent();
    await userEvent.click(screen.getByRole('button', { name: '+ Add category' }));
    const second = screen.getAllByTestId('category-row')[1];
    await userEvent.type(within(second).getByLabelText('Category name'), 'VIP');
    await userEvent.type(within(second).getByLabelText('Price'), '90');
    await userEvent.type(within(second).getByLabelText('Capacity'), '10');
    await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    const [row] = taxRows();
    await userEvent.type(within(row).getByLabelText('Tax name'), 'sales tax');
    await userEvent.type(within(row).getByLabelText('Rate (%)'), '8,875');
    await userEvent.click(within(row).getByRole('checkbox', { name: 'Prices include this tax' }));
    expect(within(row).getByRole('checkbox', { name: 'Prices include this tax' })).toHaveAccessibleDescription(
      'Added to the price at checkout (as US sales tax).');
    await userEvent.click(within(row).getByRole('checkbox', { name: 'General' }));
    expect(within(row).getByTestId('tax-preview')).toHaveTextContent(/^Buyers read: VIP €\s?90\.00 \+ 8\.875 % sales tax$/);
    await userEvent.type(within(second).getByLabelText('Category name'), 'P'); // VIP -> VIPP
    expect(within(row).getByRole('checkbox', { name: 'VIPP' })).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ taxes: [{ name: 'sales tax', rate: '8.875', inclusive: false, categories: ['VIPP'] }] });
  });

  it('says what is wrong at the field and sends nothing, until corrected', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    await fillNewEvent();
    await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    const [first, second] = taxRows();
    await userEvent.type(within(first).getByLabelText('Tax name'), 'VAT');
    await userEvent.type(within(first).getByLabelText('Rate (%)'), '120');
    await userEvent.type(within(second).getByLabelText('Tax name'), 'City tax');
    await userEvent.type(within(second).getByLabelText('Rate (%)'), '5');
    expect(within(second).getByRole('checkbox', { name: 'General' })).not.toBeChecked(); // taxed by the first already
    await userEvent.click(within(second).getByRole('checkbox', { name: 'General' }));
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));

    expect(calls).toHaveLength(0);
    expect(within(first).getByLabelText('Rate (%)')).toHaveAccessibleDescription('A rate from 0 to 100, e.g. 20 or 8.875.');
    expect(within(first).getByLabelText('Rate (%)')).toHaveAttribute('aria-invalid', 'true');
    expect(within(second).getByRole('group', { name: 'Applies to' }))
      .toHaveAccessibleDescription('General has a tax already (VAT): a category takes one tax at most.');

    await userEvent.clear(within(first).getByLabelText('Rate (%)'));
    await userEvent.type(within(first).getByLabelText('Rate (%)'), '20');
    await userEvent.click(screen.getByRole('button', { name: 'Remove tax City tax' }));
    expect(screen.getByRole('button', { name: '+ Add a tax' })).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ taxes: [{ name: 'VAT', rate: '20', inclusive: true, categories: ['General'] }] });
  });

  it('offers up to ten taxes', async () => {
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={() => {}} />);
    for (let i = 0; i < 10; i += 1) await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    expect(taxRows()).toHaveLength(10);
    expect(screen.queryByRole('button', { name: '+ Add a tax' })).toBeNull();
    expect(screen.getByText('At most 10 taxes.')).toBeInTheDocument();
  });
});

describe("an event's taxes on edit", () => {
  const editing = (event = existing()) => {
    const calls = serveApi({ 'PUT /events/e1': ({ data }: Call) => ({ ...event, ...(data as object) }) });
    renderWithProviders(<EventForm event={event} busy={false} error={null} onSubmit={(input) => void updateEvent('e1', input)} />);
    return calls;
  };

  it('shows its rules, and sends null (as they are) when they were not touched', async () => {
    const calls = editing();
    const [row] = taxRows();
    expect(within(row).getByLabelText('Tax name')).toHaveValue('VAT');
    expect(within(row).getByLabelText('Rate (%)')).toHaveValue('20');
    expect(within(row).getByRole('checkbox', { name: 'Stalls' })).toBeChecked();
    expect(within(row).getByRole('checkbox', { name: 'Balcony' })).toBeChecked();
    expect(screen.getByRole('group', { name: 'Taxes' })).toHaveAccessibleDescription(/tickets sold keep their tax/);
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toHaveProperty('taxes', null);
  });

  it('sends the rules changed, and [] once all are removed', async () => {
    const calls = editing();
    const [row] = taxRows();
    await userEvent.clear(within(row).getByLabelText('Rate (%)'));
    await userEvent.type(within(row).getByLabelText('Rate (%)'), '5.5');
    await userEvent.click(within(row).getByRole('checkbox', { name: 'Balcony' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ taxes: [{ name: 'VAT', rate: '5.5', inclusive: true, categories: ['Stalls'] }] });

    await userEvent.click(screen.getByRole('button', { name: 'Remove tax VAT' }));
    expect(taxRows()).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].data).toHaveProperty('taxes', []);
  });
});

describe("the API's refusals of taxes", () => {
  function EditingEventForm() {
    const save = useSaveEvent('e1');
    return <EventForm event={existing({ taxes: [] })} busy={save.isPending} error={save.error} onSubmit={(input) => save.mutate(input)} />;
  }

  /** Two rules typed (VAT on Stalls, Reduced on Balcony) and saved. */
  async function saveTwoRules() {
    renderWithProviders(<EditingEventForm />);
    await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    await userEvent.click(screen.getByRole('button', { name: '+ Add a tax' }));
    const [first, second] = taxRows();
    await userEvent.type(within(first).getByLabelText('Tax name'), 'VAT');
    await userEvent.type(within(first).getByLabelText('Rate (%)'), '20');
    await userEvent.click(within(first).getByRole('checkbox', { name: 'Balcony' }));
    await userEvent.type(within(second).getByLabelText('Tax name'), 'Reduced');
    await userEvent.type(within(second).getByLabelText('Rate (%)'), '5.5');
    await userEvent.click(within(second).getByRole('checkbox', { name: 'Balcony' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    return [first, second];
  }

  it("lands INVALID_TAX at the rule's categories, with the sentence above", async () => {
    serveApi({ 'PUT /events/e1': refuse(422, 'INVALID_TAX', 'A category has one tax rule at most', [
      { loc: ['body', 'taxes', 1, 'categories'], msg: 'A category has one tax rule at most', type: 'invalid_tax' }]) });
    const [first, second] = await saveTwoRules();
    await waitFor(() => expect(within(second).getByRole('group', { name: 'Applies to' }))
      .toHaveAccessibleDescription('A category has one tax rule at most'));
    expect(within(first).getByRole('group', { name: 'Applies to' })).not.toHaveAccessibleDescription();
    expect(screen.getByRole('alert')).toHaveTextContent('Not saved');
    // Ticking another category takes the rule's error away.
    await userEvent.click(within(second).getByRole('checkbox', { name: 'Stalls' }));
    expect(within(second).getByRole('group', { name: 'Applies to' })).not.toHaveAccessibleDescription();
  });

  it("lands a validation error at the rule's rate", async () => {
    serveApi({ 'PUT /events/e1': refuse(422, 'VALIDATION_ERROR', 'The request is not valid', [
      { loc: ['body', 'taxes', 0, 'rate'], msg: 'Decimal input should have no more than 3 decimal places', type: 'decimal_max_places' }]) });
    const [first] = await saveTwoRules();
    await waitFor(() => expect(within(first).getByLabelText('Rate (%)')).toHaveAccessibleDescription('At most 3 decimals'));
    expect(screen.getByRole('alert')).not.toHaveTextContent('At most 3 decimals');
  });
});
