import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/testing/test-utils';

import { EventForm, initialValues, toInput, validateEvent, type EventValues } from './event-form';

const now = new Date('2030-01-01T12:00:00Z');
const valid = (): EventValues => ({
  ...initialValues(), name: 'Gala', startsAt: '2030-02-01T20:00', currency: 'EUR', maxPerUser: '4',
  categories: [
    { name: 'Stalls', price: '40', capacity: '100', sold: 0, existing: false },
    { name: 'Balcony', price: '65.50', capacity: '20', sold: 0, existing: false },
  ],
});

describe('validateEvent', () => {
  it('accepts a complete event with two categories', () => {
    expect(validateEvent(valid(), now)).toEqual({});
    expect(toInput(valid()).categories).toEqual([
      { name: 'Stalls', price: '40', capacity: 100 },
      { name: 'Balcony', price: '65.50', capacity: 20 },
    ]);
  });

  it('names each problem', () => {
    const v = valid();
    v.name = ' ';
    v.startsAt = '2029-12-31T10:00';
    v.maxPerUser = '0';
    v.categories[1] = { name: 'stalls', price: '1.234', capacity: '0', sold: 0, existing: false };
    expect(validateEvent(v, now)).toEqual({
      name: 'Give the event a name.',
      startsAt: 'The start must be in the future.',
      maxPerUser: 'A whole number of at least 1, or empty for no limit.',
      'categories.1.name': 'Category names must differ.',
      'categories.1.price': 'A price like 25 or 25.50.',
      'categories.1.capacity': 'A whole number of seats.',
    });
  });

  it('refuses lowering a capacity below what is sold', () => {
    const v = valid();
    v.categories[0] = { ...v.categories[0], capacity: '5', sold: 8, existing: true };
    expect(validateEvent(v, now, false)['categories.0.capacity']).toBe('At least 8: that many are sold.');
  });

  it('wants the end after the start', () => {
    expect(validateEvent({ ...valid(), endsAt: '2030-02-01T19:00' }, now).endsAt).toBe('The end must be after the start.');
  });
});

describe('EventForm', () => {
  it('validates before sending, then sends two categories', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Create event' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Give the event a name.')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Name'), 'Gala');
    const [first] = screen.getAllByTestId('category-row');
    await userEvent.type(within(first).getByLabelText('Price'), '40');
    await userEvent.type(within(first).getByLabelText('Capacity'), '100');
    await userEvent.click(screen.getByRole('button', { name: '+ Add category' }));
    const second = screen.getAllByTestId('category-row')[1];
    await userEvent.type(within(second).getByLabelText('Category name'), 'Balcony');
    await userEvent.type(within(second).getByLabelText('Price'), '65.50');
    await userEvent.type(within(second).getByLabelText('Capacity'), '20');
    await userEvent.click(screen.getByRole('button', { name: 'Create event' }));

    expect(onSubmit).toHaveBeenCalledOnce();
    const sent = onSubmit.mock.calls[0][0];
    expect(sent.name).toBe('Gala');
    expect(sent.categories).toEqual([
      { name: 'General', price: '40', capacity: 100 },
      { name: 'Balcony', price: '65.50', capacity: 20 },
    ]);
  });
});
