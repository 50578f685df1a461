import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Category, Hold } from '@/types/api';

import { waitlistQuantityError, quantityError, ReserveForm } from './reserve-form';

const categories: Category[] = [
  { name: 'General', price: '25.00', capacity: 10, sold: 5, held: 2, waitlisted: 0, available: 3 },
  { name: 'VIP', price: '80.00', capacity: 2, sold: 2, held: 0, waitlisted: 1, available: 0 },
];
const hold = { id: 'h1', event_id: 'e1', category: 'General', quantity: 2, status: 'active' } as Hold;

function renderForm(waitlistedIn: string[] = []) {
  const onHeld = vi.fn();
  renderWithProviders(<ReserveForm eventId="e1" currency="EUR" categories={categories} perUserLeft={null}
    waitlistedIn={new Set(waitlistedIn)} holdFor="10 minutes" onHeld={onHeld} />);
  return onHeld;
}

describe('quantityError', () => {
  it('accepts a quantity within what is on sale and the per-user limit', () => {
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

describe('waitlistQuantityError', () => {
  it('checks a place on the waitlist against the whole category and the per-user limit', () => {
    expect(waitlistQuantityError('2', 2, null)).toBeNull();
    expect(waitlistQuantityError('3', 2, null)).toBe('This category has 2 seats in all.');
    expect(waitlistQuantityError('2', 10, 1)).toBe('You can book 1 more (limit per person).');
  });
});

describe('ReserveForm', () => {
  it('reserves the seats chosen, with an idempotency key, and hands over the hold', async () => {
    const calls = serveApi({ 'POST /events/e1/holds': hold });
    const onHeld = renderForm();
    await userEvent.clear(screen.getByLabelText('Tickets'));
    await userEvent.type(screen.getByLabelText('Tickets'), '2');
    expect(screen.getByText(/Total/)).toHaveTextContent('50.00');
    expect(screen.getByText('Reserved seats are yours for 10 minutes while you confirm.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(hold));
    expect(calls).toMatchObject([{ method: 'POST', url: '/events/e1/holds', data: { category: 'General', quantity: 2 } }]);
    expect(calls[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('explains why a quantity cannot be reserved and disables the button', async () => {
    renderForm();
    await userEvent.clear(screen.getByLabelText('Tickets'));
    await userEvent.type(screen.getByLabelText('Tickets'), '5');
    expect(screen.getByText('Only 3 left in this category.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reserve seats' })).toBeDisabled();
  });

  it('offers the waitlist for a sold-out category and joins it', async () => {
    const calls = serveApi({ 'POST /events/e1/waitlist': { id: 'p1', status: 'waiting', rank: 1 } });
    renderForm();
    await userEvent.selectOptions(screen.getByLabelText('Category'), 'VIP');
    expect(screen.getByRole('option', { name: /VIP.*sold out/ })).toBeInTheDocument();
    expect(screen.getByTestId('sold-out')).toHaveTextContent('VIP is sold out.');
    expect(screen.queryByRole('button', { name: 'Reserve seats' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Join the waitlist' }));
    await vi.waitFor(() => expect(calls).toMatchObject([{ method: 'POST', url: '/events/e1/waitlist', data: { category: 'VIP', quantity: 1 } }]));
  });

  it('offers the waitlist when the hold is refused because the seats went meanwhile', async () => {
    serveApi({ 'POST /events/e1/holds': refuse(400, 'SOLD_OUT', "Category 'General' is sold out") });
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    expect(await screen.findByRole('button', { name: 'Join the waitlist' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent("Category 'General' is sold out");
  });

  it('does not offer the waitlist while some seats are on sale: too few left is an error to fix, not a waitlist', async () => {
    serveApi({ 'POST /events/e1/holds': refuse(400, 'NOT_ENOUGH_SEATS', "Only 1 seat left in 'General'; 2 requested") });
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("Only 1 seat left in 'General'");
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull();
  });

  it('does not offer a waitlist the user has a place on already', async () => {
    renderForm(['VIP']);
    await userEvent.selectOptions(screen.getByLabelText('Category'), 'VIP');
    expect(screen.getByText("You are on this category's waitlist.")).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull();
  });
});
