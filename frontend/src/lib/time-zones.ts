import { offsetLabel, timeZones, zoneCity } from './format';

// Places people type that are not in a zone's IANA name: countries, and cities a zone's name does not carry
// ("Warsaw" needs no entry, Europe/Warsaw names it). A country with several zones lists them, the most
// populous first.
const PLACES: Record<string, string[]> = {
  'United States': ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage', 'Pacific/Honolulu'],
  USA: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage', 'Pacific/Honolulu'],
  Boston: ['America/New_York'], Washington: ['America/New_York'], Atlanta: ['America/New_York'], Philadelphia: ['America/New_York'],
  'San Francisco': ['America/Los_Angeles'], Seattle: ['America/Los_Angeles'], 'Las Vegas': ['America/Los_Angeles'],
  Dallas: ['America/Chicago'], Houston: ['America/Chicago'], Austin: ['America/Chicago'], Nashville: ['America/Chicago'],
  'New Orleans': ['America/Chicago'],
  Canada: ['America/Toronto', 'America/Vancouver', 'America/Edmonton', 'America/Winnipeg', 'America/Halifax', 'America/St_Johns'],
  Montreal: ['America/Toronto'], Ottawa: ['America/Toronto'], Calgary: ['America/Edmonton'],
  Mexico: ['America/Mexico_City', 'America/Cancun', 'America/Tijuana'], Brazil: ['America/Sao_Paulo', 'America/Manaus'],
  'Rio de Janeiro': ['America/Sao_Paulo'], Argentina: ['America/Argentina/Buenos_Aires'], 'Buenos Aires': ['America/Argentina/Buenos_Aires'], Chile: ['America/Santiago'],
  Colombia: ['America/Bogota'], Peru: ['America/Lima'],
  'United Kingdom': ['Europe/London'], UK: ['Europe/London'], 'Great Britain': ['Europe/London'], England: ['Europe/London'],
  Scotland: ['Europe/London'], Wales: ['Europe/London'], Edinburgh: ['Europe/London'], Manchester: ['Europe/London'],
  Glasgow: ['Europe/London'], Ireland: ['Europe/Dublin'], Portugal: ['Europe/Lisbon', 'Atlantic/Azores'], Porto: ['Europe/Lisbon'],
  Spain: ['Europe/Madrid', 'Atlantic/Canary'], Barcelona: ['Europe/Madrid'], Seville: ['Europe/Madrid'], France: ['Europe/Paris'],
  Lyon: ['Europe/Paris'], Marseille: ['Europe/Paris'], Belgium: ['Europe/Brussels'], Netherlands: ['Europe/Amsterdam'],
  Holland: ['Europe/Amsterdam'], Rotterdam: ['Europe/Amsterdam'], Germany: ['Europe/Berlin'], Munich: ['Europe/Berlin'],
  Hamburg: ['Europe/Berlin'], Frankfurt: ['Europe/Berlin'], Cologne: ['Europe/Berlin'], Switzerland: ['Europe/Zurich'],
  Geneva: ['Europe/Zurich'], Austria: ['Europe/Vienna'], Italy: ['Europe/Rome'], Milan: ['Europe/Rome'], Venice: ['Europe/Rome'],
  Naples: ['Europe/Rome'], Florence: ['Europe/Rome'], Poland: ['Europe/Warsaw'], Krakow: ['Europe/Warsaw'], Kraków: ['Europe/Warsaw'],
  Gdansk: ['Europe/Warsaw'], Wroclaw: ['Europe/Warsaw'], Poznan: ['Europe/Warsaw'], Czechia: ['Europe/Prague'],
  'Czech Republic': ['Europe/Prague'], Slovakia: ['Europe/Bratislava'], Hungary: ['Europe/Budapest'], Denmark: ['Europe/Copenhagen'],
  Sweden: ['Europe/Stockholm'], Gothenburg: ['Europe/Stockholm'], Norway: ['Europe/Oslo'], Finland: ['Europe/Helsinki'],
  Estonia: ['Europe/Tallinn'], Latvia: ['Europe/Riga'], Lithuania: ['Europe/Vilnius'], Ukraine: ['Europe/Kyiv'],
  Kyiv: ['Europe/Kyiv'], Kiev: ['Europe/Kyiv'], Romania: ['Europe/Bucharest'], Bulgaria: ['Europe/Sofia'], Greece: ['Europe/Athens'],
  Croatia: ['Europe/Zagreb'], Serbia: ['Europe/Belgrade'], Slovenia: ['Europe/Ljubljana'], Turkey: ['Europe/Istanbul'],
  Iceland: ['Atlantic/Reykjavik'], Israel: ['Asia/Jerusalem'], 'Tel Aviv': ['Asia/Jerusalem'], Egypt: ['Africa/Cairo'],
  Morocco: ['Africa/Casablanca'], Nigeria: ['Africa/Lagos'], Kenya: ['Africa/Nairobi'], 'South Africa': ['Africa/Johannesburg'],
  'Cape Town': ['Africa/Johannesburg'], 'United Arab Emirates': ['Asia/Dubai'], UAE: ['Asia/Dubai'], 'Abu Dhabi': ['Asia/Dubai'],
  'Saudi Arabia': ['Asia/Riyadh'], Qatar: ['Asia/Qatar'], India: ['Asia/Kolkata'], Mumbai: ['Asia/Kolkata'], Delhi: ['Asia/Kolkata'],
  'New Delhi': ['Asia/Kolkata'], Kolkata: ['Asia/Kolkata'], Bangalore: ['Asia/Kolkata'], Pakistan: ['Asia/Karachi'], Thailand: ['Asia/Bangkok'],
  Vietnam: ['Asia/Ho_Chi_Minh'], Hanoi: ['Asia/Ho_Chi_Minh'], 'Ho Chi Minh City': ['Asia/Ho_Chi_Minh'], Indonesia: ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'],
  Bali: ['Asia/Makassar'], Malaysia: ['Asia/Kuala_Lumpur'], Philippines: ['Asia/Manila'], China: ['Asia/Shanghai'],
  Beijing: ['Asia/Shanghai'], Taiwan: ['Asia/Taipei'], 'South Korea': ['Asia/Seoul'], Korea: ['Asia/Seoul'], Busan: ['Asia/Seoul'],
  Japan: ['Asia/Tokyo'], Osaka: ['Asia/Tokyo'], Kyoto: ['Asia/Tokyo'], Australia: ['Australia/Sydney', 'Australia/Melbourne',
    'Australia/Brisbane', 'Australia/Perth', 'Australia/Adelaide', 'Australia/Darwin', 'Australia/Hobart'],
  Canberra: ['Australia/Sydney'], 'New Zealand': ['Pacific/Auckland'], Wellington: ['Pacific/Auckland'],
};

export interface ZoneMatch {
  zone: string;
  /** The place it was found by: the zone's own city, or the country or city typed ("Poland"). */
  place: string;
  /** Its offset from UTC now: "UTC+1". */
  offset: string;
}

/** The name this browser lists a zone under (it may list "Asia/Calcutta" for Asia/Kolkata); undefined for a zone
 * it does not know. */
function listedAs(zone: string, known: Set<string>): string | undefined {
  if (known.has(zone)) return zone;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return known.has(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** Text compared without case, accents or underscores: "kraków" finds "Krakow", "new york" "America/New_York". */
function plain(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/_/g, ' ').toLowerCase().trim();
}

/** How well `query` matches a name: 0 the whole name, 1 its start or a word's, 2 anywhere; undefined not at all. */
function rank(name: string, query: string): number | undefined {
  const n = plain(name);
  if (n === query) return 0;
  if (n.startsWith(query) || n.split(/[\s/]+/).some((word) => word.startsWith(query))) return 1;
  return n.includes(query) ? 2 : undefined;
}

/** The zones a typed city, country or IANA name finds, best first, each with its offset at `now`. */
export function findZones(query: string, known: string[] = timeZones(), now = new Date(), limit = 50): ZoneMatch[] {
  const q = plain(query);
  const found = new Map<string, { place: string; score: number; order: number }>();
  const add = (zone: string, place: string, score: number, order: number) => {
    const seen = found.get(zone);
    if (!seen || score < seen.score) found.set(zone, { place, score, order });
  };
  const knownSet = new Set(known);
  if (q) {
    for (const [place, zones] of Object.entries(PLACES)) {
      const score = rank(place, q);
      if (score === undefined) continue;
      zones.forEach((z, i) => {
        const listed = listedAs(z, knownSet);
        if (listed) add(listed, place, score, i);
      });
    }
  }
  for (const zone of known) {
    const score = q ? Math.min(rank(zone, q) ?? 9, rank(zoneCity(zone), q) ?? 9) : 0;
    if (score < 9) add(zone, zoneCity(zone) || zone, score, 0);
  }
  return [...found.entries()]
    .sort(([a, x], [b, y]) => x.score - y.score || x.place.localeCompare(y.place) || x.order - y.order || a.localeCompare(b))
    .slice(0, limit)
    .map(([zone, { place }]) => ({ zone, place, offset: offsetLabel(now, zone) }));
}
