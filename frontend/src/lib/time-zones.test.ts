import { describe, expect, it } from 'vitest';

import { findZones } from './time-zones';

const WINTER = new Date('2026-12-12T19:00:00Z');
const zones = (query: string) => findZones(query, undefined, WINTER).map((m) => m.zone);

describe('findZones', () => {
  it('finds a zone by a city its IANA name carries, spaces for underscores, any case', () => {
    expect(zones('New York')[0]).toBe('America/New_York');
    expect(zones('warsaw')[0]).toBe('Europe/Warsaw');
    expect(zones('america/new_y')[0]).toBe('America/New_York');
  });

  it('finds a zone by country, and by a city its name does not carry', () => {
    expect(zones('Poland')).toEqual(['Europe/Warsaw']);
    expect(zones('Japan')[0]).toBe('Asia/Tokyo');
    expect(zones('Kraków')[0]).toBe('Europe/Warsaw');
    expect(zones('San Francisco')[0]).toBe('America/Los_Angeles');
    expect(zones('United States').slice(0, 2)).toEqual(['America/New_York', 'America/Chicago']);
  });

  it("finds a zone the browser lists under an older name (India's)", () => {
    expect(['Asia/Kolkata', 'Asia/Calcutta']).toContain(zones('India')[0]);
  });

  it('says each match with its place and its offset now', () => {
    expect(findZones('Poland', undefined, WINTER)).toEqual([{ zone: 'Europe/Warsaw', place: 'Poland', offset: 'UTC+1' }]);
    expect(findZones('New York', undefined, WINTER)[0]).toEqual({ zone: 'America/New_York', place: 'New York', offset: 'UTC\u22125' });
  });

  it('finds nothing for a place it does not know', () => {
    expect(zones('Atlantis')).toEqual([]);
  });
});
