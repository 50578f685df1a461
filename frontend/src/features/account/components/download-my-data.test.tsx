import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { Answer, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';

import { DownloadMyData } from './download-my-data';

describe('DownloadMyData', () => {
  it('saves the file the API names and says so', async () => {
    const calls = serveApi({
      'GET /users/me/data': new Answer('{"account":{}}', 200, { 'content-disposition': 'attachment; filename="personal-data-u1.json"' }),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function save(this: HTMLAnchorElement) { saved.push(this.download); });
    renderWithProviders(<DownloadMyData />);
    await userEvent.click(screen.getByRole('button', { name: 'Download my data' }));
    await waitFor(() => expect(saved).toEqual(['personal-data-u1.json']));
    expect(screen.getByRole('status')).toHaveTextContent('Saved as personal-data-u1.json.');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /users/me/data']);
  });

  it('says in words when it could not be made', async () => {
    serveApi({ 'GET /users/me/data': refuse(503, 'STORE_UNAVAILABLE', 'The store is unreachable') });
    renderWithProviders(<DownloadMyData />);
    await userEvent.click(screen.getByRole('button', { name: 'Download my data' }));
    expect(await screen.findByText('Not downloaded')).toBeInTheDocument();
  });
});
