import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/lib/api-client';
import { supportDetail } from '@/testing/test-utils';

import { ErrorMessage } from './feedback';

describe('ErrorMessage', () => {
  it('announces the error in words, the code folded away as a detail for support', () => {
    render(<ErrorMessage error={new ApiError('TICKET_ALREADY_USED', 'TICKET_ALREADY_USED', 400)} title="Not checked in" />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/^Not checked inThis ticket was checked in already\.$/);
    expect(alert).not.toHaveTextContent('TICKET_ALREADY_USED');
    const support = supportDetail(alert)!;
    expect(support.tagName).toBe('DETAILS');
    expect(support).not.toHaveAttribute('open');
    expect(within(support).getByText('Details for support').tagName).toBe('SUMMARY');
    expect(within(support).getByText('TICKET_ALREADY_USED').tagName).toBe('CODE');
  });

  it('says a declined card once, with what to try next', () => {
    render(<ErrorMessage error={new ApiError('PAYMENT_DECLINED', 'The payment was declined: Your card was declined.', 402)} title="Payment not made" />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/^Payment not madeYour card was declined\. Try another card or payment method\.$/);
    expect(supportDetail(alert)).toHaveTextContent('PAYMENT_DECLINED');
  });

  it('keeps no detail for support where the page made the error up itself', () => {
    render(<ErrorMessage error={new Error('Your card has expired.')} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Your card has expired.');
    expect(supportDetail(screen.getByRole('alert'))).toBeNull();
    expect(screen.queryByText(/UNKNOWN/)).not.toBeInTheDocument();
  });

  it("shows the API's message where it names the particulars", () => {
    render(<ErrorMessage error={new ApiError('SOLD_OUT', "Category 'VIP' is sold out", 400)} />);
    expect(screen.getByRole('alert')).toHaveTextContent("Category 'VIP' is sold out. Choose another category, or join its waitlist.");
  });

  it('offers a retry where asking again can help', async () => {
    const retry = vi.fn();
    render(<ErrorMessage error={new ApiError('EVENT_BUSY', 'Busy', 503)} onRetry={retry} />);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('offers no retry for an event that does not exist', () => {
    render(<ErrorMessage error={new ApiError('EVENT_NOT_FOUND', 'No event e1', 404)} onRetry={vi.fn()} />);
    expect(screen.getByRole('alert')).toHaveTextContent('There is no such event');
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('lists the field problems of a validation error', () => {
    const error = new ApiError('VALIDATION_ERROR', 'The request is not valid', 422, [
      { loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' },
    ]);
    render(<ErrorMessage error={error} />);
    expect(screen.getByRole('listitem')).toHaveTextContent('limit: At most 100');
  });

  it("says a refused order line's message once", () => {
    const error = new ApiError('SOLD_OUT', "Category 'VIP' is sold out", 400, [
      { loc: ['body', 'lines', 1], msg: "Category 'VIP' is sold out", type: 'SOLD_OUT' },
    ]);
    render(<ErrorMessage error={error} />);
    expect(screen.getAllByText("Category 'VIP' is sold out", { exact: false })).toHaveLength(1);
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('names a network problem plainly', () => {
    render(<ErrorMessage error={new ApiError('NETWORK_ERROR', 'Cannot reach the server.')} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Network problem');
    expect(screen.queryByText('NETWORK_ERROR')).not.toBeInTheDocument();
    expect(supportDetail(screen.getByRole('alert'))).toBeNull();
  });
});
