import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { ReconciliationProblem, ReconciliationRun } from '../api/reconciliation-runs';
import { ReconcileWithStripe } from './reconciliation-runs';

const RUN = '5a1b2c3d-1111-4222-8333-444455556666';
const STRIPE = { 'GET /payments/config': { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/v3/' } };
const run = (over: Partial<ReconciliationRun> = {}): ReconciliationRun => ({
  id: RUN, status: 'finished', started_at: '2030-01-31T10:00:00Z', started_by: 'audra@x.test', finished_at: '2030-01-31T10:00:05Z',
  since: '2030-01-01T00:00:00Z', until: '2030-01-31T10:00:00Z', ledger_payments: 3, ledger_refunds: 1, provider_payments: 3,
  provider_refunds: 1, matched: 3, problems: 0, error: null, ...over,
});
const problem = (over: Partial<ReconciliationProblem> = {}): ReconciliationProblem => ({
  kind: 'payment_only_at_provider', provider_id: 'pi_elsewhere', payment_id: null, intent_id: null, ledger_amount: null,
  provider_amount: '10.00', currency: 'EUR', message: 'the provider has payment pi_elsewhere', ...over,
});
const auditor = userOf('auditor');

describe('ReconcileWithStripe', () => {
  it('is not offered without a payment provider', async () => {
    const calls = serveApi({ 'GET /payments/config': { provider: null, publishable_key: null, js_url: null } });
    renderWithProviders(<ReconcileWithStripe />, { user: auditor });
    await act(() => new Promise((resolve) => setTimeout(resolve, 20))); // the answer read
    expect(screen.queryByRole('heading', { name: 'Reconcile with Stripe' })).not.toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(['/payments/config']);
  });

  it('starts a run for the period picked and follows it', async () => {
    let started = false;
    const calls = serveApi({
      ...STRIPE,
      'GET /audit/reconciliation-runs': () => ({ items: started ? [run({ status: 'running', finished_at: null })] : [], next_cursor: null }),
      'POST /audit/reconciliation-runs': () => { started = true; return run({ status: 'running', finished_at: null }); },
      [`GET /audit/reconciliation-runs/${RUN}`]: run({ status: 'running', finished_at: null, matched: 0 }),
    });
    renderWithProviders(<ReconcileWithStripe />, { user: auditor });
    expect(await screen.findByText('No reconciliation yet')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('From'), '2030-01-01');
    await userEvent.type(screen.getByLabelText('To (included)'), '2030-01-30');
    await userEvent.click(screen.getByRole('button', { name: 'Reconcile' }));
    expect(await screen.findByText(/Reading Stripe's payments and refunds/)).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.data).toEqual({ since: new Date(2030, 0, 1).toISOString(), until: new Date(2030, 0, 31).toISOString() });
    expect(await screen.findByRole('button', { name: 'A run is in progress' })).toBeDisabled();
  });

  it('leaves the period to the server when none is picked, and shows why it refused one', async () => {
    const calls = serveApi({
      ...STRIPE,
      'GET /audit/reconciliation-runs': { items: [], next_cursor: null },
      'POST /audit/reconciliation-runs': refuse(422, 'PERIOD_INVALID', 'A period is at most 366 days long'),
    });
    renderWithProviders(<ReconcileWithStripe />, { user: auditor });
    await userEvent.click(await screen.findByRole('button', { name: 'Reconcile' }));
    expect(await screen.findByText('The reconciliation did not start')).toBeInTheDocument();
    expect(screen.getByText(/at most 366 days/)).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.data).toEqual({});
  });

  it('shows the running run when another start is refused', async () => {
    serveApi({
      ...STRIPE,
      'GET /audit/reconciliation-runs': { items: [], next_cursor: null },
      'POST /audit/reconciliation-runs': refuse(409, 'RECONCILIATION_RUNNING', `Reconciliation run ${RUN} is running: one at a time`),
      [`GET /audit/reconciliation-runs/${RUN}`]: run({ status: 'running', finished_at: null }),
    });
    renderWithProviders(<ReconcileWithStripe />, { user: auditor });
    await userEvent.click(await screen.findByRole('button', { name: 'Reconcile' }));
    expect(await screen.findByText(/A run is already in progress/)).toBeInTheDocument();
    expect(await screen.findByText(/Reading Stripe's payments and refunds/)).toBeInTheDocument();
  });

  it('shows a run\'s counts and pages its disagreements with both sides', async () => {
    const firstPage = [
      problem(),
      problem({ kind: 'payment_only_in_ledger', provider_id: 'pi_only_in_the_ledger', payment_id: 'pay-1', ledger_amount: '12.50', provider_amount: null }),
      ...Array.from({ length: 18 }, (_, i) => problem({ provider_id: `pi_more_${i}` })),
    ];
    const secondPage = [problem({ kind: 'refund_amount_differs', provider_id: 're_1', intent_id: 'pi_a', payment_id: 'pay-2', ledger_amount: '10.00', provider_amount: '9.00' })];
    const calls = serveApi({
      ...STRIPE,
      'GET /audit/reconciliation-runs': { items: [run({ problems: 21, matched: 2 })], next_cursor: null },
      [`GET /audit/reconciliation-runs/${RUN}`]: run({ problems: 21, matched: 2 }),
      [`GET /audit/reconciliation-runs/${RUN}/problems`]: ({ params }: { params: { cursor?: string } }) =>
        (params.cursor === 'page-2' ? { items: secondPage, next_cursor: null } : { items: firstPage, next_cursor: 'page-2' }),
    });
    renderWithProviders(<ReconcileWithStripe />, { user: auditor });
    expect(await screen.findByText('21 disagreements found.')).toBeInTheDocument();
    expect(screen.getByText('3 in the ledger · 3 at Stripe')).toBeInTheDocument();
    expect(await screen.findByText('Disagreements 1–20 of 21')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Disagreements' });
    const rows = within(table).getAllByRole('row').slice(1, 3);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual(['Payment at Stripe only', 'Payment in the ledger only']);
    expect(rows[1]).toHaveTextContent('pi_only_in_the_ledger');
    expect(rows[1]).toHaveTextContent('pay-1');
    expect(rows[1]).toHaveTextContent(/12[.,]50/);
    expect(screen.getByRole('button', { name: '◀ Previous' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next ▶' }));
    expect(await screen.findByText('Refund of another amount')).toBeInTheDocument();
    expect(screen.getByText('Disagreements 21–21 of 21')).toBeInTheDocument();
    expect(calls.at(-1)?.params).toEqual({ limit: 20, cursor: 'page-2' });
    const refund = within(screen.getByRole('table', { name: 'Disagreements' })).getAllByRole('row')[1];
    expect(refund).toHaveTextContent('re_1 of pi_a');
    expect(refund).toHaveTextContent(/9[.,]00/);
    expect(screen.getByRole('button', { name: 'Next ▶' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: '◀ Previous' }));
    expect(await screen.findByText('Disagreements 1–20 of 21')).toBeInTheDocument();
  });

  it('says why a run failed', async () => {
    serveApi({
      ...STRIPE,
      'GET /audit/reconciliation-runs': { items: [run({ status: 'failed', error: 'PROVIDER_UNAVAILABLE: The payment provider did not answer' })], next_cursor: null },
      [`GET /audit/reconciliation-runs/${RUN}`]: run({ status: 'failed', error: 'PROVIDER_UNAVAILABLE: The payment provider did not answer' }),
    });
    renderWithProviders(<ReconcileWithStripe />, { user: auditor });
    expect(await screen.findByText('The run failed.')).toBeInTheDocument();
    expect(screen.getByText(/PROVIDER_UNAVAILABLE/)).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Reconciliation runs' })).getByText('failed')).toBeInTheDocument();
  });
});
