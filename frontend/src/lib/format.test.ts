import { describe, expect, it } from 'vitest';

import { calendarDay, clockTime, dateTime, eventTime, fromZonedInput, offsetLabel, plural, toZonedInput, yourTime, zoneCity } from './format';

// Fixed zones and locale: the machine running the tests has its own, which must not matter.
const WINTER = '2026-12-12T19:00:00Z'; // a Saturday; London on GMT
const SUMMER = '2026-07-04T18:00:00Z'; // London on BST

// Every label has one shape, whatever the locale knows of the zone: the offset from UTC.
const ZONE_LABEL = / UTC(\+0|[+\u2212]\d{1,2}(:\d\d)?)( \(|$)/;

describe('offsetLabel', () => {
  it('labels every zone by its offset from UTC, never by a locale-dependent abbreviation', () => {
    expect(offsetLabel(new Date(WINTER), 'Europe/London')).toBe('UTC+0');
    expect(offsetLabel(new Date(SUMMER), 'Europe/London')).toBe('UTC+1');
    expect(offsetLabel(new Date(WINTER), 'Europe/Warsaw')).toBe('UTC+1');
    expect(offsetLabel(new Date(WINTER), 'America/New_York')).toBe('UTC\u22125');
    expect(offsetLabel(new Date(WINTER), 'Asia/Kolkata')).toBe('UTC+5:30');
    expect(offsetLabel(new Date(WINTER), 'UTC')).toBe('UTC+0');
  });
});

describe('dateTime', () => {
  it("shows a moment in the reader's zone, with the date, the year and the zone's label", () => {
    expect(dateTime('2026-11-29T12:20:00Z', 'Europe/Warsaw', 'en-US')).toBe('Sun, Nov 29, 2026, 1:20 PM UTC+1');
    expect(dateTime('2026-11-29T12:20:00Z', 'Europe/Warsaw', 'en-GB')).toBe('Sun, 29 Nov 2026, 13:20 UTC+1');
    expect(dateTime('2026-11-29T12:20:00Z', 'America/New_York', 'en-US')).toBe('Sun, Nov 29, 2026, 7:20 AM UTC\u22125');
  });

  it('labels every zone in one style, in any locale', () => {
    for (const zone of ['Europe/Warsaw', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Adelaide']) {
      for (const locale of ['en-US', 'en-GB', 'pl-PL', 'ja-JP']) expect(dateTime(WINTER, zone, locale)).toMatch(ZONE_LABEL);
    }
  });

  it('shows a dash for no time', () => {
    expect(dateTime(null)).toBe('\u2014');
  });
});

describe('eventTime', () => {
  it("shows the venue's time with its offset and its city", () => {
    expect(eventTime(WINTER, 'Europe/London', 'Europe/London', 'en-GB')).toBe('Sat, 12 Dec 2026, 19:00 UTC+0 (London)');
    expect(eventTime(SUMMER, 'Europe/London', 'Europe/London', 'en-GB')).toBe('Sat, 4 Jul 2026, 19:00 UTC+1 (London)');
    expect(eventTime('2026-12-21T01:00:00Z', 'America/New_York', 'America/New_York', 'en-US')).toBe('Sun, Dec 20, 2026, 8:00 PM UTC\u22125 (New York)');
  });

  it("adds the reader's own time, in the same format, when their clock reads otherwise", () => {
    expect(eventTime('2026-12-21T01:00:00Z', 'America/New_York', 'Europe/Warsaw', 'en-US'))
      .toBe('Sun, Dec 20, 2026, 8:00 PM UTC\u22125 (New York; Mon, Dec 21, 2026, 2:00 AM UTC+1 your time)');
    expect(eventTime(WINTER, 'Europe/London', 'America/New_York', 'en-GB'))
      .toBe('Sat, 12 Dec 2026, 19:00 UTC+0 (London; Sat, 12 Dec 2026, 14:00 UTC\u22125 your time)');
  });

  it('adds nothing for a reader in another zone whose clock reads the same', () => {
    expect(yourTime(new Date(WINTER), 'Europe/London', 'Europe/Lisbon', 'en-GB')).toBe('');
  });

  it('names no city for UTC', () => {
    expect(eventTime(WINTER, 'UTC', 'UTC', 'en-GB')).toBe('Sat, 12 Dec 2026, 19:00 UTC+0');
    expect(zoneCity('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
  });

  it('shows a dash for no time', () => {
    expect(eventTime(null, 'UTC')).toBe('\u2014');
  });
});

describe('calendarDay and clockTime', () => {
  it("read the venue's calendar, and a time of day with its label", () => {
    expect(calendarDay('2026-12-13T03:00:00Z', 'America/New_York', 'en-US')).toEqual({ month: 'Dec', day: '12' });
    expect(clockTime(WINTER, 'Europe/Warsaw', 'en-GB')).toBe('20:00 UTC+1');
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
