import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { Answer, PENDING, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { ExportsPanel } from './exports-panel';

const keys = { key_id: 'f1029dfbb8e42f99', keys: [{ key_id: 'f1029dfbb8e42f99', algorithm: 'Ed25519', public_key: 'PEM', first_used_at: '2030-01-01T10:00:00Z', retired_at: null }] };
const auditor = userOf('auditor');

function saving() {
  const names: string[] = [];
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { names.push(this.download); });
  return names;
}

describe('ExportsPanel', () => {
  afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); });

  it('waits for the keys', () => {
    serveApi({ 'GET /audit/public-key': PENDING, 'GET /events': PENDING });
    renderWithProviders(<ExportsPanel />, { user: auditor });
    expect(screen.getByText(/Reading the keys/)).toBeInTheDocument();
  });

  it('says when no key is configured', async () => {
    serveApi({ 'GET /audit/public-key': { key_id: null, keys: [] }, 'GET /events': { items: [], next_cursor: null } });
    renderWithProviders(<ExportsPanel />, { user: auditor });
    expect(await screen.findByText(/No signing key is configured/)).toBeInTheDocument();
  });

  it('prints the command beside each download and saves the file under the name the server gives', async () => {
    serveApi({
      'GET /audit/public-key': keys,
      'GET /events': { items: [{ id: 'e1', name: 'Gala', status: 'active', starts_at: '2030-01-01T10:00:00Z' }], next_cursor: null },
      'GET /audit/export': ({ params }: { params: Record<string, unknown> }) => new Answer('{}\n', 200, {
        'content-disposition': `attachment; filename="${params.event_id ? 'event-e1-proofs.jsonl' : 'ledger-log.jsonl'}"`,
      }),
    });
    const names = saving();
    renderWithProviders(<ExportsPanel />, { user: auditor });
    expect(await screen.findByText('signing now')).toBeInTheDocument();
    expect(screen.getByText('python tools/verify_export.py ledger-log.jsonl --key keys.json')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Download keys.json' }));
    await userEvent.click(screen.getByRole('button', { name: 'Download the log with its heads' }));
    expect(await screen.findByText('Saved ledger-log.jsonl')).toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: /Gala/ }));
    expect(screen.getByText('python tools/verify_export.py event-e1-proofs.jsonl --key keys.json')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Download its stream with proofs' }));
    expect(await screen.findByText('Saved event-e1-proofs.jsonl')).toBeInTheDocument();
    expect(names).toEqual(['keys.json', 'ledger-log.jsonl', 'event-e1-proofs.jsonl']);
  });

  it('says why a download failed', async () => {
    serveApi({ 'GET /audit/public-key': keys, 'GET /events': { items: [], next_cursor: null }, 'GET /audit/export': refuse(503, 'STORE_UNAVAILABLE', 'The database cannot be reached') });
    renderWithProviders(<ExportsPanel />, { user: auditor });
    await userEvent.click(await screen.findByRole('button', { name: 'Download the log with its heads' }));
    expect(await screen.findByText('The ledger cannot be reached right now. Try again in a moment.')).toBeInTheDocument();
  });
});
