import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AxiosAdapter } from 'axios';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { api, positions } from '@/lib/api-client';
import { renderWithProviders } from '@/testing/test-utils';

import { OrganizerPicker } from './organizer-picker';

const everyone = [{ id: 'ann', name: 'Ann' }, { id: 'ben', name: 'Ben' }, { id: 'bea', name: 'Bea' }];

/** The server's search: names starting with `q`, any case. */
function serve(queries: (string | undefined)[]): AxiosAdapter {
  return async (config) => {
    if (config.url !== '/organizers') throw new Error(`unexpected ${config.url}`);
    const q = (config.params as { q?: string }).q;
    queries.push(q);
    const items = everyone.filter((o) => o.name.toLowerCase().startsWith((q ?? '').toLowerCase()));
    return { data: { items, next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config };
  };
}

function Harness({ onPick }: { onPick: (id: string) => void }) {
  const [value, setValue] = useState('');
  return <OrganizerPicker label="Add an organizer" exclude={new Set(['ann'])} value={value}
    onChange={(id) => { setValue(id); onPick(id); }} />;
}

describe('OrganizerPicker', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; positions.reset(); });

  it('searches on the server as one types, offering neither excluded accounts nor stale choices', async () => {
    const queries: (string | undefined)[] = [];
    const picked: string[] = [];
    api.defaults.adapter = serve(queries);
    renderWithProviders(<Harness onPick={(id) => picked.push(id)} />);

    const select = await screen.findByLabelText('Add an organizer');
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Ben', 'Bea']);
    expect(picked.at(-1)).toBe('ben');  // the first match, until another is picked

    await userEvent.type(screen.getByLabelText('Search add an organizer'), 'BEA');
    await screen.findByRole('option', { name: 'Bea' });
    await expect.poll(() => queries.at(-1)).toBe('BEA');
    // The answer to 'BEA' is drawn after it arrives: on a busy machine, a moment later.
    await waitFor(() => expect(screen.queryByRole('option', { name: 'Ben' })).toBeNull());
    await waitFor(() => expect(picked.at(-1)).toBe('bea'));
    expect(queries).not.toContain('B');  // one request per pause in typing, not per key

    await userEvent.clear(screen.getByLabelText('Search add an organizer'));
    await userEvent.type(screen.getByLabelText('Search add an organizer'), 'zed');
    await screen.findByText('No organizer named “zed…”');
    expect(picked.at(-1)).toBe('');
  });
});
