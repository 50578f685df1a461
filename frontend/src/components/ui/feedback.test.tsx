import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/lib/api-client';

import { ErrorMessage } from './feedback';

describe('ErrorMessage', () => {
  it("shows the API's message and code, and offers a retry", async () => {
    const retry = vi.fn();
    render(<ErrorMessage error={new ApiError('SOLD_OUT', "Category 'VIP' is sold out", 400)} onRetry={retry} />);
    expect(screen.getByRole('alert')).toHaveTextContent("Category 'VIP' is sold out");
    expect(screen.getByText('SOLD_OUT')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('names a network problem plainly', () => {
    render(<ErrorMessage error={new ApiError('NETWORK_ERROR', 'Cannot reach the server.')} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Network problem');
    expect(screen.queryByText('NETWORK_ERROR')).not.toBeInTheDocument();
  });
});
