import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { PENDING, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { VerifyRun } from '../api/verify-runs';
import { VerifyRuns } from './verify-runs';

const RUN = '3f0c2d4e-1111-4222-8333-444455556666';
const run = (over: Partial<VerifyRun> = {}): VerifyRun => ({
  id: RUN, status: 'finished', started_at: '2030-01-01T10:00:00Z', started_by: 'audra@x.test', checked: 40, total: 40,
  problems: 0, finished_at: '2030-01-01T10:01:00Z', ok: true, ...over,
});
const auditor = userOf('auditor');

describe('VerifyRuns', () => {
  it('waits for the runs', () => {
    serveApi({ 'GET /audit/verify-runs': PENDING });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    expect(screen.getByText(/Reading the runs/)).toBeInTheDocument();
  });

  it('invites to start when no run was made', async () => {
    serveApi({ 'GET /audit/verify-runs': { items: [] } });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    expect(await screen.findByText('No verification run yet')).toBeInTheDocument();
  });

  it('shows a clear error when the server has no verify runs yet', async () => {
    serveApi({});
    renderWithProviders(<VerifyRuns />, { user: auditor });
    expect(await screen.findByText('The runs cannot be read')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/does not offer this yet/);
  });

  it('starts a run and follows its progress', async () => {
    let started = false;
    const calls = serveApi({
      'GET /audit/verify-runs': () => ({ items: started ? [run({ status: 'running', checked: 10, ok: null, finished_at: null })] : [] }),
      'POST /audit/verify-runs': () => { started = true; return run({ status: 'running', checked: 0, ok: null, finished_at: null }); },
      [`GET /audit/verify-runs/${RUN}`]: run({ status: 'running', checked: 10, ok: null, finished_at: null }),
    });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    await userEvent.click(await screen.findByRole('button', { name: 'Run verification' }));
    const progress = await screen.findByRole('progressbar', { name: 'Verification progress' });
    expect(progress).toHaveTextContent('10 of 40 checked (25%)');
    expect(calls.some((c) => c.method === 'POST')).toBe(true);
    expect(await screen.findByRole('button', { name: 'A run is in progress' })).toBeDisabled();
  });

  it('shows the running run when another start is refused', async () => {
    serveApi({
      'GET /audit/verify-runs': { items: [] },
      'POST /audit/verify-runs': refuse(409, 'VERIFY_RUNNING', `Run ${RUN} is running`),
      [`GET /audit/verify-runs/${RUN}`]: run({ status: 'running', checked: 5, ok: null, finished_at: null }),
    });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    await userEvent.click(await screen.findByRole('button', { name: 'Run verification' }));
    expect(await screen.findByText(/A run is already in progress/)).toBeInTheDocument();
    expect(await screen.findByRole('progressbar')).toHaveTextContent('5 of 40');
  });

  it('keeps a finished run and pages its problems', async () => {
    const problems = Array.from({ length: 50 }, (_, i) => ({ kind: 'chain', stream: RUN, version: i + 1, position: i + 10, message: `broken ${i + 1}` }));
    const calls = serveApi({
      'GET /audit/verify-runs': { items: [run({ ok: false, problems: 60 })] },
      [`GET /audit/verify-runs/${RUN}`]: run({ ok: false, problems: 60 }),
      [`GET /audit/verify-runs/${RUN}/problems`]: ({ params }: { params: { offset: number } }) =>
        ({ items: params.offset === 0 ? problems : problems.slice(0, 10), total: 60 }),
    });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    expect(await screen.findByText('Problems found.')).toBeInTheDocument();
    expect(await screen.findByText('Problems 1–50 of 60')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Problems' });
    expect(within(table).getAllByRole('link')[0]).toHaveAttribute('href', `/audit/events/${RUN}?version=1`);
    await userEvent.click(screen.getByRole('button', { name: 'Next ▶' }));
    expect(await screen.findByText('Problems 51–60 of 60')).toBeInTheDocument();
    expect(calls.at(-1)?.params).toEqual({ offset: 50, limit: 50 });
  });

  it('says why a failed run stopped', async () => {
    const failed = run({ status: 'failed', ok: null, checked: 12, error: 'The worker stopped' });
    serveApi({ 'GET /audit/verify-runs': { items: [failed] }, [`GET /audit/verify-runs/${RUN}`]: failed });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    expect(await screen.findByText('The run failed.')).toBeInTheDocument();
    expect(screen.getByText(/The worker stopped/)).toBeInTheDocument();
  });

  it('says a clean run verified the ledger', async () => {
    serveApi({ 'GET /audit/verify-runs': { items: [run()] }, [`GET /audit/verify-runs/${RUN}`]: run() });
    renderWithProviders(<VerifyRuns />, { user: auditor });
    expect(await screen.findByText('Ledger verified: no problem found.')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Verification runs' })).toHaveTextContent('verified');
  });
});
