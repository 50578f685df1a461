import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ERROR_SENTENCES } from '@/lib/error-sentences';
import { Answer, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';

import { BookingProof } from './booking-proof';
import { nextHeadAt } from './get-booking-proof';

const proof = {
  leaf_index: 4, tree_size: 9, leaf: {}, leaf_hash: 'ab', audit_path: [],
  head: { tree_size: 9, root_hash: 'cd', timestamp: '2030-01-01T12:00:30Z', key_id: 'k1', signature: 's' },
};
const notYet = { code: 'PROOF_NOT_YET_SIGNED', message: 'No signed tree head covers this event yet: the signer’s next one is due in about 30 s' };
// The server's clock at the answer; its Date header written a second before, as uvicorn's once-a-second header may be.
const serverTime = Date.parse('2030-01-01T12:00:01Z');
const header = 'Tue, 01 Jan 2030 12:00:00 GMT';

/** Let the mock API's answers and React's updates land, the clock moved by `ms`. */
const pass = (ms = 0) => act(async () => { await vi.advanceTimersByTimeAsync(ms); });

function catchSaves() {
  const saved: Blob[] = [];
  vi.stubGlobal('URL', Object.assign(URL, {
    createObjectURL: (blob: Blob) => { saved.push(blob); return 'blob:proof'; },
    revokeObjectURL: () => {},
  }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  return saved;
}

describe('BookingProof', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('saves the proof at once when a signed head covers the booking', async () => {
    vi.setSystemTime(serverTime);
    const saved = catchSaves();
    const calls = serveApi({ 'GET /audit/proofs/bookings/b1': proof });
    renderWithProviders(<BookingProof bookingId="b1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Download proof of booking' }));
    await pass();
    expect(screen.getByRole('status')).toHaveTextContent(/^Saved\. The file shows this booking was on record by .+; anyone can check it offline\.$/);
    expect(saved).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['in time', 0],
    ['an hour ahead', 3_600_000],
    ['an hour behind', -3_600_000],
  ])("counts down to the next signed head by the server's clock (device %s), asks again at zero, then offers the file", async (_, skew) => {
    vi.setSystemTime(serverTime + skew);
    const saved = catchSaves();
    let signed = false;
    const calls = serveApi({
      'GET /audit/proofs/bookings/b1': () => (signed ? proof : new Answer(notYet, 409, { Date: header, 'Retry-After': '30' })),
    });
    renderWithProviders(<BookingProof bookingId="b1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Download proof of booking' }));
    await pass();

    expect(screen.getByTestId('proof-waiting')).toHaveTextContent('The proof of this booking is almost ready: it is fetched in');
    expect(screen.getByTestId('proof-countdown')).toHaveTextContent('00:30');
    expect(screen.queryByRole('button', { name: 'Download proof of booking' })).toBeNull();
    await pass(20_100);
    expect(screen.getByTestId('proof-countdown')).toHaveTextContent('00:10');
    expect(calls).toHaveLength(1);

    signed = true;
    await pass(9_500);
    expect(calls).toHaveLength(1);
    await pass(500);
    await pass();
    expect(calls).toHaveLength(2);
    expect(saved).toHaveLength(0); // found by a retry: offered, not pushed on the person
    expect(screen.getByRole('status')).toHaveTextContent('The proof of this booking is ready');
    fireEvent.click(screen.getByRole('button', { name: 'Save the proof file' }));
    expect(saved).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent(/^Saved\./);
  });

  it('counts down again when the next head still does not cover it, and stops asking after a few tries', async () => {
    vi.setSystemTime(serverTime);
    const calls = serveApi({
      'GET /audit/proofs/bookings/b1': () => new Answer(notYet, 409, { Date: new Date(Date.now()).toUTCString(), 'Retry-After': '2' }),
    });
    renderWithProviders(<BookingProof bookingId="b1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Download proof of booking' }));
    await pass();
    for (let i = 0; i < 5; i += 1) { await pass(2_100); await pass(); }
    expect(calls).toHaveLength(6);
    expect(screen.getByRole('status')).toHaveTextContent('The proof of this booking is taking longer than usual. Try again in a few minutes.');
    await pass(10_000);
    expect(calls).toHaveLength(6);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await pass();
    expect(calls).toHaveLength(7);
  });

  it('says in words why there is no proof when the refusal is not a wait', async () => {
    vi.setSystemTime(serverTime);
    serveApi({ 'GET /audit/proofs/bookings/b1': refuse(404, 'BOOKING_NOT_FOUND', 'Booking b1 not found') });
    renderWithProviders(<BookingProof bookingId="b1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Download proof of booking' }));
    await pass();
    expect(screen.getByRole('alert')).toHaveTextContent(ERROR_SENTENCES.BOOKING_NOT_FOUND);
    expect(screen.getByRole('button', { name: 'Download proof of booking' })).toBeEnabled();
  });
});

describe('BookingProof with the position of the booking', () => {
  beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(serverTime); });
  afterEach(() => { vi.useRealTimers(); });

  it('says the proof comes shortly, offering no download, until a signed head covers the booking; then offers it', async () => {
    const saved = catchSaves();
    let size = 4;
    const calls = serveApi({ 'GET /audit/checkpoints/latest': () => ({ ...proof.head, tree_size: size }), 'GET /audit/proofs/bookings/b1': proof });
    renderWithProviders(<BookingProof bookingId="b1" position={5} />);
    await pass();
    expect(screen.getByTestId('proof-soon')).toHaveTextContent('A proof of this booking, a file anyone can check, will be ready to download here shortly.');
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByTestId('booking-proof')).not.toHaveTextContent(/signed|head|ledger/i);

    size = 9;
    await pass(10_000);
    await pass(100);
    fireEvent.click(screen.getByRole('button', { name: 'Download proof of booking' }));
    await pass();
    expect(saved).toHaveLength(1);
    expect(calls.filter((c) => c.url === '/audit/proofs/bookings/b1')).toHaveLength(1);
    // Covered, the head is asked no more.
    const asked = calls.filter((c) => c.url === '/audit/checkpoints/latest').length;
    await pass(60_000);
    expect(calls.filter((c) => c.url === '/audit/checkpoints/latest')).toHaveLength(asked);
  });

  it('offers the download at once when a signed head covers the booking already', async () => {
    serveApi({ 'GET /audit/checkpoints/latest': proof.head });
    renderWithProviders(<BookingProof bookingId="b1" position={9} />);
    await pass();
    expect(screen.getByRole('button', { name: 'Download proof of booking' })).toBeEnabled();
    expect(screen.queryByTestId('proof-soon')).toBeNull();
  });

  it('says the proof comes shortly while no head is signed at all', async () => {
    serveApi({ 'GET /audit/checkpoints/latest': refuse(404, 'CHECKPOINT_NOT_FOUND', 'No signed tree head yet') });
    renderWithProviders(<BookingProof bookingId="b1" position={1} />);
    await pass();
    expect(screen.getByTestId('proof-soon')).toBeInTheDocument();
  });

  it('leaves it to the proof itself to say, where the head cannot be read', async () => {
    serveApi({ 'GET /audit/checkpoints/latest': refuse(403, 'FORBIDDEN', 'No') });
    renderWithProviders(<BookingProof bookingId="b1" position={5} />);
    await pass();
    expect(screen.getByRole('button', { name: 'Download proof of booking' })).toBeInTheDocument();
  });
});

describe('nextHeadAt', () => {
  it("adds Retry-After to the server's now, or takes an HTTP date as it is", () => {
    const now = Date.parse('2030-01-01T12:00:01Z');
    expect(nextHeadAt({ date: header, 'retry-after': '42' }, now)).toBe(now + 42_000);
    expect(nextHeadAt({ 'retry-after': 'Tue, 01 Jan 2030 12:01:00 GMT' }, now)).toBe(Date.parse('2030-01-01T12:01:00Z'));
    expect(nextHeadAt({}, now)).toBe(now + 5_000);
  });
});
