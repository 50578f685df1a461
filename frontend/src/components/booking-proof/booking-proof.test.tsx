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
    fireEvent.click(screen.getByRole('button', { name: 'Download proof' }));
    await pass();
    expect(screen.getByRole('status')).toHaveTextContent('Saved: event 5 of 9 in the ledger');
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
    fireEvent.click(screen.getByRole('button', { name: 'Download proof' }));
    await pass();

    expect(screen.getByTestId('proof-waiting')).toHaveTextContent('No signed head covers this booking yet');
    expect(screen.getByTestId('proof-countdown')).toHaveTextContent('00:30');
    expect(screen.queryByRole('button', { name: 'Download proof' })).toBeNull();
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
    expect(screen.getByRole('status')).toHaveTextContent('The proof is ready');
    fireEvent.click(screen.getByRole('button', { name: 'Save proof file' }));
    expect(saved).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('Saved: event 5 of 9');
  });

  it('counts down again when the next head still does not cover it, and stops asking after a few tries', async () => {
    vi.setSystemTime(serverTime);
    const calls = serveApi({
      'GET /audit/proofs/bookings/b1': () => new Answer(notYet, 409, { Date: new Date(Date.now()).toUTCString(), 'Retry-After': '2' }),
    });
    renderWithProviders(<BookingProof bookingId="b1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Download proof' }));
    await pass();
    for (let i = 0; i < 5; i += 1) { await pass(2_100); await pass(); }
    expect(calls).toHaveLength(6);
    expect(screen.getByRole('status')).toHaveTextContent('Still no signed head covers this booking');
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
    fireEvent.click(screen.getByRole('button', { name: 'Download proof' }));
    await pass();
    expect(screen.getByRole('alert')).toHaveTextContent(ERROR_SENTENCES.BOOKING_NOT_FOUND);
    expect(screen.getByRole('button', { name: 'Download proof' })).toBeEnabled();
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
