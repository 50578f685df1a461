import { formattingLocale, i18n } from './i18n';

/** An amount in its currency, as the UI's language (in the browser's region) writes it: "€1,234.50" in English, "1.234,50 €" in German. */
export function money(amount: string | number, currency = 'EUR', locale: string = formattingLocale()): string {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** A count with its noun, one or many: "1 ticket", "3 tickets", "2 people" (`many` where -s does not make it). English
 * only: the pages not yet translated use it; a translated page says a count through its catalogue's plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A number as the UI's language writes it: "1,234.5" in English, "1.234,5" in German. */
export function number(value: number, locale: string = formattingLocale()): string {
  return new Intl.NumberFormat(locale).format(value);
}

// Every moment a page shows, in one format: "Sun, Nov 29, 2026, 1:20 PM UTC+1" (the order and clock as the reader's
// language writes them), labelled with the zone's offset from UTC, which reads the same in every locale and for every
// zone (abbreviations do not: a locale knows "EST" but calls Warsaw "GMT+1"). An event's times add the venue's city.
const MOMENT: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

/** A zone's offset from UTC at a moment, as a label: "UTC+1", "UTC−5", "UTC+5:30", "UTC+0". */
export function offsetLabel(moment: Date, zone: string): string {
  const w = wallClock(moment, zone);
  const minutes = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(moment.getTime() / 60_000) * 60_000) / 60_000);
  const sign = minutes < 0 ? '−' : '+';
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

/** The place a zone is named after, in words: "America/New_York" is "New York"; '' for UTC and the Etc zones. */
export function zoneCity(zone: string): string {
  if (!zone?.includes('/') || zone.startsWith('Etc/')) return '';
  return zone.slice(zone.lastIndexOf('/') + 1).replace(/_/g, ' ');
}

/** A moment in a zone, labelled with its offset: "Sun, Nov 29, 2026, 1:20 PM UTC+1". */
function inZone(moment: Date, zone: string, locale: string = formattingLocale()): string {
  return `${new Intl.DateTimeFormat(locale, { ...MOMENT, hour: hourStyle(locale), timeZone: zone }).format(moment)} ${offsetLabel(moment, zone)}`;
}

/** Two-digit hours on a 24-hour clock ("09:00", not "9:00"), as it is written; a 12-hour clock's own "9:00 AM". */
function hourStyle(locale: string = formattingLocale()): '2-digit' | 'numeric' {
  const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h23' || cycle === 'h24' ? '2-digit' : 'numeric';
}

/** A moment in the reader's own zone, labelled: "Sun, Nov 29, 2026, 1:20 PM UTC+1". For every time that is not an
 * event's (booked, queued, checked in, expires, recorded): those `eventTime` shows in the venue's zone. `zone` defaults to
 * the browser's, `locale` to the UI's language (tests fix them). */
export function dateTime(iso: string | null | undefined, zone = viewerZone(), locale: string = formattingLocale()): string {
  if (!iso) return '—';
  return inZone(new Date(iso), zone, locale);
}

export function day(iso: string, locale: string = formattingLocale()): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(new Date(iso));
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

/** An event's moment in its venue's zone, labelled with the offset and the venue's city, e.g.
 * "Sun, Dec 20, 2026, 8:00 PM UTC−5 (New York)"; when the reader's clocks read otherwise, their own time joins the
 * city: "(New York; Mon, Dec 21, 2026, 2:00 AM UTC+1 your time)". `reader` defaults to the browser's zone, `locale` to the UI's language. */
export function eventTime(iso: string | null | undefined, zone: string, reader = viewerZone(), locale: string = formattingLocale()): string {
  if (!iso) return '—';
  const moment = new Date(iso);
  const own = yourTime(moment, zone, reader, locale);
  const notes = [zoneCity(zone), own].filter(Boolean);
  return `${inZone(moment, zone, locale)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** The reader's own time of an event's moment, e.g. "Mon, Dec 21, 2026, 2:00 AM UTC+1 your time"; '' when their
 * clocks read the same as the venue's then. */
export function yourTime(moment: Date, zone: string, reader = viewerZone(), locale: string = formattingLocale()): string {
  if (offsetLabel(moment, zone) === offsetLabel(moment, reader)) return '';
  return i18n.t('common:time.yours', { time: inZone(moment, reader, locale), lng: locale });
}

/** The month and day of an event's start as its venue's calendar reads them (an event card's date badge). */
export function calendarDay(iso: string, zone: string, locale: string = formattingLocale()): { month: string; day: string } {
  const moment = new Date(iso);
  return {
    month: new Intl.DateTimeFormat(locale, { month: 'short', timeZone: zone }).format(moment),
    day: new Intl.DateTimeFormat(locale, { day: 'numeric', timeZone: zone }).format(moment),
  };
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

/** A moment's time of day in a zone with its offset, e.g. "7:45 PM UTC+0": only where the day is said beside it
 * (a chart's quarter hours); anywhere else a moment is shown whole, by `dateTime` or `eventTime`. */
export function clockTime(iso: string | null | undefined, zone: string, locale: string = formattingLocale()): string {
  if (!iso) return '—';
  const moment = new Date(iso);
  return `${new Intl.DateTimeFormat(locale, { hour: hourStyle(locale), minute: '2-digit', timeZone: zone }).format(moment)} ${offsetLabel(moment, zone)}`;
}
