/**
 * The server's clock as this device can know it: the device's clock plus an offset learnt from the
 * API's answers (their `X-Server-Time`, else their `Date` header). Deadlines (a hold's `expires_at`, an event's start) are the
 * server's instants; a device whose clock is wrong would otherwise count down to the wrong moment.
 */

/** What one answer says about the offset (server minus device, in ms): it lies within [low, high]. */
interface Bound { low: number; high: number }

// The Date header names a whole second, and uvicorn rewrites it once a second of its event loop:
// when the server answered, its clock was past the second named, by up to two seconds on an idle
// server and more on a busy one (which is why the API also stamps X-Server-Time).
const HEADER_AGE_MAX_MS = 2000;
// Enough answers to narrow the header's doubt down; older ones add little and may predate a change of the device's clock.
const KEPT_ANSWERS = 8;

let bounds: Bound[] = [];
let offsetMs = 0;

/** The newest bounds that agree, intersected: an older answer that disagrees (the device's clock was set since) is dropped. */
function agreed(newestFirst: Bound[]): { kept: Bound[]; low: number; high: number } {
  let { low, high } = newestFirst[0];
  let count = 1;
  for (const bound of newestFirst.slice(1)) {
    const nextLow = Math.max(low, bound.low);
    const nextHigh = Math.min(high, bound.high);
    if (nextLow > nextHigh) break;
    [low, high, count] = [nextLow, nextHigh, count + 1];
  }
  return { kept: newestFirst.slice(0, count), low, high };
}

/**
 * Learn what one answer allows: the server's clock read within [low, high] of the device's. The device's clock is
 * trusted while the answers allow it (its offset 0 lies within their bounds: a synchronised clock, the usual case, is
 * never moved by an answer's doubt); else the estimate is the middle of what they allow.
 */
function learn(answer: Bound): void {
  const { kept, low, high } = agreed([answer, ...bounds].slice(0, KEPT_ANSWERS));
  bounds = kept;
  offsetMs = low <= 0 && 0 <= high ? 0 : Math.round((low + high) / 2);
}

/**
 * Learn from an answer's `X-Server-Time` (the server's clock in ms as the answer left), and the device's clock when
 * the request left and when the answer came: the server answered somewhere between the two, so a quick answer says
 * more than a slow one. Whether the stamp was readable (without one, nothing changes).
 */
export function noteServerTime(stampHeader: unknown, sentAt: number, receivedAt: number): boolean {
  const stamped = typeof stampHeader === 'string' && /^\d+$/.test(stampHeader) ? Number(stampHeader) : Number.NaN;
  if (!Number.isSafeInteger(stamped)) return false;
  if (sentAt <= receivedAt) learn({ low: stamped - receivedAt, high: stamped - sentAt });
  return true;
}

/**
 * Learn from an answer's `Date` header, for a server that sends no `X-Server-Time` (a proxy's own answer): it names
 * a whole second, up to two seconds before the answer left (with one answer, the estimate is the header's time plus
 * half that age against the request's midpoint). Without a readable header, nothing changes.
 */
export function noteServerDate(dateHeader: unknown, sentAt: number, receivedAt: number): void {
  if (typeof dateHeader !== 'string') return;
  const stamped = Date.parse(dateHeader);
  if (Number.isNaN(stamped) || !(sentAt <= receivedAt)) return;
  learn({ low: stamped - receivedAt, high: stamped + HEADER_AGE_MAX_MS - sentAt });
}

/** Now by the server's clock, in ms since the epoch (the device's own until an answer has told the offset). */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

export const serverClock = {
  /** Server minus device, in ms. */
  offset: () => offsetMs,
  /** Forget what was learnt (a test's end). */
  reset: () => {
    bounds = [];
    offsetMs = 0;
  },
};
