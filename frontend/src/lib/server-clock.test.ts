import { describe, expect, it, vi } from 'vitest';

import { noteServerDate, noteServerTime, serverClock, serverNow } from './server-clock';

const SERVER = Date.parse('2030-01-01T12:00:00Z');
const HEADER = new Date(SERVER).toUTCString(); // "Tue, 01 Jan 2030 12:00:00 GMT", as the API sends it

describe('server clock', () => {
  it("is the device's clock until an answer tells otherwise", () => {
    vi.useFakeTimers();
    vi.setSystemTime(SERVER);
    expect(serverClock.offset()).toBe(0);
    expect(serverNow()).toBe(SERVER);
  });

  it("corrects a wrong device clock to the header's time, plus half the age it may have, against the midpoint of request and answer", () => {
    const device = SERVER - 300_000; // five minutes slow
    noteServerDate(HEADER, device - 200, device + 200);
    expect(serverClock.offset()).toBe(301_000);
  });

  it('narrows the second down with answers stamped either side of its turn', () => {
    // The server is 700 ms ahead. One answer's header was fresh, the other's nearly two seconds old:
    // each alone leaves two seconds of doubt; together, between 650 and 750 ms.
    noteServerDate(HEADER, SERVER - 650, SERVER - 650);
    noteServerDate(new Date(SERVER + 1000).toUTCString(), SERVER + 2250, SERVER + 2250);
    expect(serverClock.offset()).toBe(700);
  });

  it("starts again from the newest answer once the device's clock was set", () => {
    noteServerDate(HEADER, SERVER - 300_000, SERVER - 300_000);
    noteServerDate(HEADER, SERVER - 300_000, SERVER - 300_000);
    // The device's clock jumped forward by a minute: the older answers no longer agree.
    noteServerDate(new Date(SERVER + 1000).toUTCString(), SERVER - 239_000, SERVER - 239_000);
    expect(serverClock.offset()).toBe(241_000);
  });

  it('ignores an answer without a Date header, or with one that is not a date', () => {
    noteServerDate(HEADER, SERVER - 300_000, SERVER - 300_000);
    noteServerDate(undefined, SERVER, SERVER);
    noteServerDate('', SERVER, SERVER);
    noteServerDate('yesterday-ish', SERVER, SERVER);
    noteServerDate(['not', 'a', 'string'], SERVER, SERVER);
    expect(serverClock.offset()).toBe(301_000);
  });

  it('keeps a device clock the answers agree with, whatever second the header names', () => {
    // Same clock as the server's; the header a second and a half old: the device's clock stands.
    noteServerDate(new Date(SERVER - 1500).toUTCString(), SERVER - 20, SERVER);
    expect(serverClock.offset()).toBe(0);
    noteServerDate(HEADER, SERVER + 300, SERVER + 320);
    expect(serverClock.offset()).toBe(0);
  });

  it('ignores an answer that came before its request (the device clock moved back meanwhile)', () => {
    noteServerDate(HEADER, SERVER + 10, SERVER);
    expect(serverClock.offset()).toBe(0);
  });

  it("corrects a wrong device clock to the millisecond stamp, against the midpoint of request and answer", () => {
    const device = SERVER - 300_000; // five minutes slow
    expect(noteServerTime(String(SERVER), device - 200, device + 200)).toBe(true);
    expect(serverClock.offset()).toBe(300_000);
  });

  it('keeps a synchronised device clock however late the answer, where a stale Date header would move it', () => {
    // A busy server: the answer left at SERVER, its Date header still named a second three seconds before.
    noteServerTime(String(SERVER), SERVER - 900, SERVER + 100);
    expect(serverClock.offset()).toBe(0);
    serverClock.reset();
    noteServerDate(new Date(SERVER - 3000).toUTCString(), SERVER - 900, SERVER + 100);
    expect(serverClock.offset()).toBeLessThan(0); // what the Date header alone told: a clock behind the true one
  });

  it('says a stamp that is not a whole number of milliseconds unreadable, and learns nothing from it', () => {
    noteServerTime(String(SERVER + 300_000), SERVER, SERVER);
    for (const bad of [undefined, '', '12.5', '-5', 'soon', '1e12', ['1'], '99999999999999999999']) {
      expect(noteServerTime(bad, SERVER, SERVER)).toBe(false);
    }
    expect(serverClock.offset()).toBe(300_000);
  });
});
