export function money(amount: string | number, currency = 'EUR'): string {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** A count with its noun, one or many: "1 ticket", "3 tickets", "2 people" (`many` where -s does not make it). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A moment as every page shows it ("Nov 26, 2026, 10:13 AM" in the reader's locale): one format, whose month in
 * words cannot be read day-first in one place and month-first in another. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A moment in the reader's own zone, labelled: "Nov 26, 10:13 AM GMT+1". For a time the reader acts on
 * (not an event's, which `eventTime` shows in the venue's zone). `locale` and `zone` default to the browser's. */
export function yourMoment(iso: string, locale?: string, zone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone: zone,
  }).format(new Date(iso));
}

export function day(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** A <input type="datetime-local"> value for a date, in local time. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An ISO time with zone from a datetime-local value (read as local time). */
export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}

export function idempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The reader's own time zone, as their browser says (UTC when it says none). */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// An event's time, one format on every page: "Sat 12 Dec, 19:00 GMT" in the venue's zone.
const EVENT_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
};

/** An event's moment in its venue's zone with the zone's label, e.g. "Sat 12 Dec, 19:00 GMT"; and, when the
 * reader's clock reads otherwise then, their own time beside it: "(14:00 your time)", with the day when it
 * differs ("(Sun 03:00 your time)"). `reader` and `locale` default to the browser's (tests fix them). */
export function eventTime(iso: string | null | undefined, zone: string, reader = viewerZone(), locale?: string): string {
  if (!iso) return '—';
  const moment = new Date(iso);
  const venue = new Intl.DateTimeFormat(locale, { ...EVENT_TIME, timeZone: zone, timeZoneName: 'short' }).format(moment);
  const own = yourTime(moment, zone, reader, locale);
  return own ? `${venue} (${own})` : venue;
}

/** The reader's own time of an event's moment, e.g. "14:00 your time"; '' when it reads the same at the venue. */
export function yourTime(moment: Date, zone: string, reader = viewerZone(), locale?: string): string {
  const wall = (timeZone: string) => new Intl.DateTimeFormat(locale, { ...EVENT_TIME, timeZone }).format(moment);
  if (wall(zone) === wall(reader)) return '';
  const day = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', timeZone }).format(moment);
  const options: Intl.DateTimeFormatOptions = day(zone) === day(reader)
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return `${new Intl.DateTimeFormat(locale, { ...options, timeZone: reader }).format(moment)} your time`;
}

/** The wall-clock fields of a moment in a zone, as numbers (month 1-12). */
function wallClock(moment: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23',
  }).formatToParts(moment);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

/** A <input type="datetime-local"> value for a moment as the clocks in `zone` read it. */
export function toZonedInput(iso: string, zone: string): string {
  const w = wallClock(new Date(iso), zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The moment (ISO, UTC) at which the clocks in `zone` read a datetime-local value; a time skipped by a
 * change to summer time reads as the moment just after the change. */
export function fromZonedInput(value: string, zone: string): string {
  const [date, time = '00:00'] = value.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const offset = (at: number) => {
    const w = wallClock(new Date(at), zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - at;
  };
  // The zone's offset near the wall time, then again at the moment it gives (a change between them).
  let moment = asUtc - offset(asUtc);
  moment = asUtc - offset(moment);
  return new Date(moment).toISOString();
}

/** Every IANA time zone the browser knows (a short list where it cannot say). */
export function timeZones(): string[] {
  const known = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone');
  const zones = known && known.length ? known : ['UTC', 'Europe/London', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
  // The browser's own zone is offered even where its list names it otherwise (the new event's default).
  return [...new Set(['UTC', viewerZone(), ...zones])];
}

/** A moment's time of day in a zone with the zone's label, e.g. "19:42 GMT" (a check-in at the door). */
export function clockTime(iso: string | null | undefined, zone: string, locale?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone, timeZoneName: 'short' })
    .format(new Date(iso));
}
