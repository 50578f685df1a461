import { describe, expect, it } from 'vitest';

import { eventTime, fromZonedInput, plural, toZonedInput, yourTime } from './format';

// Fixed zones and locale: the machine running the tests has its own, which must not matter.
const WINTER = '2026-12-12T19:00:00Z'; // a Saturday; London on GMT
const SUMMER = '2026-07-04T18:00:00Z'; // London on BST

describe('eventTime', () => {
  it("shows the venue's time with its zone's label", () => {
    expect(eventTime(WINTER, 'Europe/London', 'Europe/London', 'en-GB')).toBe('Sat 12 Dec, 19:00 GMT');
    expect(eventTime(SUMMER, 'Europe/London', 'Europe/London', 'en-GB')).toBe('Sat 4 Jul, 19:00 BST');
  });

  it("adds the reader's own time when their clock reads otherwise", () => {
    expect(eventTime(WINTER, 'Europe/London', 'America/New_York', 'en-GB')).toBe('Sat 12 Dec, 19:00 GMT (14:00 your time)');
  });

  it("names the reader's day when it is another one", () => {
    expect(eventTime(WINTER, 'Europe/London', 'Asia/Tokyo', 'en-GB')).toBe('Sat 12 Dec, 19:00 GMT (Sun 04:00 your time)');
  });

  it('adds nothing for a reader in another zone whose clock reads the same', () => {
    expect(yourTime(new Date(WINTER), 'Europe/London', 'Europe/Lisbon', 'en-GB')).toBe('');
  });

  it('shows a dash for no time', () => {
    expect(eventTime(null, 'UTC')).toBe('—');
  });
});

describe('the form in the venue zone', () => {
  it("reads a moment as the venue's clocks show it", () => {
    expect(toZonedInput(WINTER, 'America/New_York')).toBe('2026-12-12T14:00');
    expect(toZonedInput(SUMMER, 'Europe/London')).toBe('2026-07-04T19:00');
  });

  it("turns the venue's wall time into the moment in UTC", () => {
    expect(fromZonedInput('2026-12-12T19:00', 'Europe/London')).toBe('2026-12-12T19:00:00.000Z');
    expect(fromZonedInput('2026-07-04T19:00', 'Europe/London')).toBe('2026-07-04T18:00:00.000Z');
    expect(fromZonedInput('2026-12-12T14:00', 'America/New_York')).toBe(WINTER.replace('Z', '.000Z'));
    expect(fromZonedInput('2026-12-13T04:00', 'Asia/Tokyo')).toBe('2026-12-12T19:00:00.000Z');
  });

  it('round-trips across a change to summer time', () => {
    const moment = '2026-03-29T01:30:00.000Z'; // London just after the clocks went forward
    expect(fromZonedInput(toZonedInput(moment, 'Europe/London'), 'Europe/London')).toBe(moment);
  });
});

describe('plural', () => {
  it('says one as one and any other count as many', () => {
    expect(plural(1, 'ticket')).toBe('1 ticket');
    expect(plural(0, 'ticket')).toBe('0 tickets');
    expect(plural(3, 'ticket')).toBe('3 tickets');
    expect(plural(1, 'leaf', 'leaves')).toBe('1 leaf');
    expect(plural(2, 'leaf', 'leaves')).toBe('2 leaves');
  });
});
