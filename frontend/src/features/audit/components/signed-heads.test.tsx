import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { headMessage } from '@/lib/signed-heads';
import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { SignedHeads } from './signed-heads';

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const auditor = userOf('auditor');

/** A real Ed25519 key and heads it signed: the page checks them as the offline tool does. */
async function signed() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pem = `-----BEGIN PUBLIC KEY-----\n${b64(await crypto.subtle.exportKey('spki', pair.publicKey))}\n-----END PUBLIC KEY-----\n`;
  const head = async (tree_size: number) => {
    const h = { tree_size, root_hash: String(tree_size).padStart(64, '0'), timestamp: `2030-01-01T10:00:0${tree_size % 10}.000Z`, key_id: 'k1' };
    return { ...h, signature: b64(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, headMessage(h) as Uint8Array<ArrayBuffer>)) };
  };
  const keys = { key_id: 'k1', keys: [{ key_id: 'k1', algorithm: 'Ed25519', public_key: pem, first_used_at: null, retired_at: null }] };
  return { head, keys };
}

describe('SignedHeads', () => {
  it('waits for the heads', () => {
    serveApi({ 'GET /audit/checkpoints/latest': PENDING, 'GET /audit/checkpoints': PENDING, 'GET /audit/public-key': PENDING });
    renderWithProviders(<SignedHeads />, { user: auditor });
    expect(screen.getByText(/Reading the latest head/)).toBeInTheDocument();
    expect(screen.getByText(/Reading the heads/)).toBeInTheDocument();
  });

  it('says when no head was signed yet', async () => {
    serveApi({
      'GET /audit/checkpoints/latest': refuse(404, 'CHECKPOINT_NOT_FOUND', 'No signed tree head yet'),
      'GET /audit/checkpoints': { items: [], next_cursor: null },
      'GET /audit/public-key': { key_id: null, keys: [] },
    });
    renderWithProviders(<SignedHeads />, { user: auditor });
    expect(await screen.findByText(/The signer signs one within a minute/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText('No head signed yet')).toHaveLength(2));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the latest head and each head as signed by a trusted key, or not', async () => {
    const { head, keys } = await signed();
    const latest = await head(9);
    const forged = { ...(await head(4)), tree_size: 5 };
    serveApi({
      'GET /audit/checkpoints/latest': latest,
      'GET /audit/checkpoints': { items: [forged, latest], next_cursor: null },
      'GET /audit/public-key': keys,
    });
    renderWithProviders(<SignedHeads />, { user: auditor });
    expect(await screen.findByText(/Signed by trusted key k1: the signature verifies/)).toBeInTheDocument();
    expect(screen.getByLabelText('The latest signed head')).toHaveTextContent('"tree_size": 9');
    const table = await screen.findByRole('table', { name: 'Signed heads' });
    expect(await within(table).findByText('bad signature')).toBeInTheDocument();
    expect(await within(table).findByText('trusted signature')).toBeInTheDocument();
  });

  it("proves a booking's inclusion and a consistency between two sizes", async () => {
    const { head, keys } = await signed();
    const latest = await head(9);
    const calls = serveApi({
      'GET /audit/checkpoints/latest': latest,
      'GET /audit/checkpoints': { items: [latest], next_cursor: null },
      'GET /audit/public-key': keys,
      'GET /audit/proofs/bookings/0b1c2d3e-0000-4000-8000-000000000001': { leaf_index: 4, tree_size: 9, leaf: {}, leaf_hash: 'ab', audit_path: ['cd', 'ef'], head: latest },
      'GET /audit/proofs/consistency': ({ params }: Call) => ({ first: params.first, second: 9, first_head: null, second_head: latest, proof: ['aa'] }),
    });
    renderWithProviders(<SignedHeads />, { user: auditor });
    await userEvent.type(screen.getByLabelText('Booking id'), '0b1c2d3e-0000-4000-8000-000000000001');
    await userEvent.click(within(screen.getByRole('form', { name: 'Inclusion proof' })).getByRole('button', { name: 'Prove' }));
    expect(await screen.findByText(/Event 5 of 9, 2 hashes to the root/)).toBeInTheDocument();

    await userEvent.click(within(screen.getByRole('form', { name: 'Consistency proof' })).getByRole('button', { name: 'Prove' }));
    expect(screen.getByText('Tree sizes are whole numbers of at least 1.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Earlier size'), '4');
    await userEvent.click(within(screen.getByRole('form', { name: 'Consistency proof' })).getByRole('button', { name: 'Prove' }));
    expect(await screen.findByText(/From 4 to 9 events: 1 hash\./)).toBeInTheDocument();
    expect(calls.find((c) => c.url === '/audit/proofs/consistency')?.params).toEqual({ first: 4 });
  });

  it('says why a proof cannot be given yet', async () => {
    serveApi({
      'GET /audit/checkpoints/latest': PENDING, 'GET /audit/checkpoints': PENDING, 'GET /audit/public-key': PENDING,
      'GET /audit/proofs/inclusion': refuse(409, 'LEAF_AFTER_HEAD', 'Position 99 is after the latest head'),
    });
    renderWithProviders(<SignedHeads />, { user: auditor });
    await userEvent.click(screen.getByRole('button', { name: 'A position' }));
    await userEvent.type(screen.getByLabelText('Position'), '99');
    await userEvent.click(within(screen.getByRole('form', { name: 'Inclusion proof' })).getByRole('button', { name: 'Prove' }));
    expect(await screen.findByText('Position 99 is after the latest head')).toBeInTheDocument();
  });
});
