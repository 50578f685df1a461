import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { PENDING, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { ProjectionStatus } from '../api/operations';
import { ProjectionsAdmin } from './operations';
import { SignHeadNow } from './sign-head-now';

const idle = { state: 'idle' as const, done: 0, total: 0, rate: null, eta_seconds: null, started_at: null, finished_at: null, error: null };
const projection = (over: Partial<ProjectionStatus> = {}): ProjectionStatus => ({
  name: 'availability', position: 40, head: 40, lag_events: 0, lag_seconds: 0, updated_at: null, last_error: null, rebuild: idle, partitions: [], ...over,
});
const admin = userOf('admin');

describe('ProjectionsAdmin', () => {
  it('waits for the projections', () => {
    serveApi({ 'GET /projections': PENDING });
    renderWithProviders(<ProjectionsAdmin />, { user: admin });
    expect(screen.getByText(/Reading projections/)).toBeInTheDocument();
  });

  it('shows an error', async () => {
    serveApi({ 'GET /projections': refuse(503, 'STORE_UNAVAILABLE', 'The database cannot be reached') });
    renderWithProviders(<ProjectionsAdmin />, { user: admin });
    expect(await screen.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('The ledger cannot be reached right now.');
  });

  it('lists no projection when there is none', async () => {
    serveApi({ 'GET /projections': [] });
    renderWithProviders(<ProjectionsAdmin />, { user: admin });
    expect(await screen.findByRole('table', { name: 'Projections to rebuild' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rebuild' })).toBeNull();
  });

  it('shows where each partition of a read model stands', async () => {
    const part = (partition: number, position: number) => ({
      partition, position, head: 40, lag_events: 40 - position, lag_seconds: 0, updated_at: null, last_error: null,
    });
    serveApi({ 'GET /projections': [projection({ position: 37, lag_events: 3, partitions: [part(0, 40), part(1, 37)] }), projection({ name: 'merkle' })] });
    renderWithProviders(<ProjectionsAdmin />, { user: admin });
    const list = await screen.findByRole('list', { name: 'Partitions of availability' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['partition 0: 40', 'partition 1: 37 (3 behind)']);
    expect(screen.queryByRole('list', { name: 'Partitions of merkle' })).toBeNull();
  });

  it('rebuilds after a confirmation and shows its progress', async () => {
    let rebuilding = false;
    const calls = serveApi({
      'GET /projections': () => [projection(rebuilding ? { rebuild: { ...idle, state: 'rebuilding', done: 10, total: 40, eta_seconds: 3 } } : {})],
      'POST /projections/availability/rebuild': () => { rebuilding = true; return projection(); },
    });
    renderWithProviders(<ProjectionsAdmin />, { user: admin });
    const row = await screen.findByTestId('projection-availability');
    await userEvent.click(within(row).getByRole('button', { name: 'Rebuild' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await userEvent.click(screen.getAllByRole('button', { name: 'Rebuild', hidden: true }).at(-1)!);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(await within(row).findByRole('progressbar')).toHaveTextContent('10 of 40 (25%) · about 3 s left');
    expect(within(row).getByRole('button', { name: 'Rebuilding…' })).toBeDisabled();
  });
});

describe('SignHeadNow', () => {
  it('signs a head and says what it covers', async () => {
    serveApi({ 'POST /audit/checkpoints': { tree_size: 41, root_hash: 'ab', timestamp: '2030-01-01T10:00:00.000Z', key_id: 'f1029dfb', signature: 'c2ln' } });
    renderWithProviders(<SignHeadNow />, { user: admin });
    await userEvent.click(screen.getByRole('button', { name: 'Sign a head now' }));
    expect(await screen.findByRole('status')).toHaveTextContent('a tree of 41 events');
  });

  it('says why no head was signed', async () => {
    serveApi({ 'POST /audit/checkpoints': refuse(503, 'SIGNER_UNAVAILABLE', 'No worker signed the head in time') });
    renderWithProviders(<SignHeadNow />, { user: admin });
    await userEvent.click(screen.getByRole('button', { name: 'Sign a head now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The signing service is not available right now.');
  });

  it('waits while signing', async () => {
    serveApi({ 'POST /audit/checkpoints': PENDING });
    renderWithProviders(<SignHeadNow />, { user: admin });
    await userEvent.click(screen.getByRole('button', { name: 'Sign a head now' }));
    expect(screen.getByRole('button', { name: 'Signing…' })).toBeDisabled();
  });
});
