import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/testing/test-utils';

import { BookingForm, quantityError } from './booking-form';
import { seatsLabel } from './seats-left';

const categories = [
  { name: 'General', price: '25.00', capacity: 10, sold: 7, available: 3 },
  { name: 'VIP', price: '80.00', capacity: 2, sold: 2, available: 0 },
];

describe('quantityError', () => {
  it('accepts a quantity within what is left and the per-user limit', () => {
    expect(quantityError('2', 3, 4)).toBeNull();
    expect(quantityError('3', 3, null)).toBeNull();
  });
  it.each([
    ['0', 3, null, 'Book at least 1 ticket.'],
    ['1.5', 3, null, 'Enter a whole number of tickets.'],
    ['abc', 3, null, 'Enter a whole number of tickets.'],
    ['4', 3, null, 'Only 3 left in this category.'],
    ['1', 0, null, 'This category is sold out.'],
    ['3', 10, 2, 'You can book 2 more (limit per person).'],
    ['1', 10, 0, 'You already hold the most tickets allowed per person for this event.'],
  ])('refuses %s with %s left and %s allowed', (raw, left, perUser, message) => {
    expect(quantityError(raw, left, perUser)).toBe(message);
  });
});

describe('BookingForm', () => {
  it('explains why a quantity cannot be booked and disables the button', async () => {
    renderWithProviders(<BookingForm eventId="e1" currency="EUR" categories={categories} perUserLeft={null} onBooked={() => {}} />);
    expect(screen.getByRole('option', { name: /VIP/ })).toBeDisabled();
    const quantity = screen.getByLabelText('Tickets');
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '5');
    expect(screen.getByText('Only 3 left in this category.')).toBeInTheDocument();
    expect(quantity).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Book now' })).toBeDisabled();
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '2');
    expect(screen.getByRole('button', { name: 'Book now' })).toBeEnabled();
    expect(screen.getByText(/Total/)).toHaveTextContent('50.00');
  });

  it('shows the per-user allowance', () => {
    renderWithProviders(<BookingForm eventId="e1" currency="EUR" categories={categories} perUserLeft={2} onBooked={() => {}} />);
    expect(screen.getByText('Up to 2 more for you on this event.')).toBeInTheDocument();
  });
});

describe('seatsLabel', () => {
  it('says sold out, few left, or how many', () => {
    expect(seatsLabel(0, 10, 'active')).toBe('Sold out');
    expect(seatsLabel(2, 100, 'active')).toBe('Only 2 left');
    expect(seatsLabel(60, 100, 'active')).toBe('60 of 100 seats left');
    expect(seatsLabel(60, 100, 'cancelled')).toBe('Cancelled');
  });
});
