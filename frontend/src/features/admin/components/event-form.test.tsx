import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { i18n } from '@/lib/i18n';
import { noteServerTime } from '@/lib/server-clock';
import { refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, supportDetail } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { createEvent, updateEvent, useSaveEvent } from '../api/events';
import { EventForm, holdSeconds, holdText, initialValues, toInput, validateEvent, zoneHint, type EventValues } from './event-form';

const now = new Date('2030-01-01T12:00:00Z');
const valid = (): EventValues => ({
  ...initialValues(), name: 'Gala', startsAt: '2030-02-01T20:00', currency: 'EUR', maxPerUser: '4',
  categories: [
    { name: 'Stalls', price: '40', capacity: '100', hidden: false, sold: 0, existing: false },
    { name: 'Balcony', price: '65.50', capacity: '20', hidden: false, sold: 0, existing: false },
  ],
});

describe('validateEvent', () => {
  it('accepts a complete event with two categories', () => {
    expect(validateEvent(valid(), now)).toEqual({});
    expect(toInput(valid()).categories).toEqual([
      { name: 'Stalls', price: '40', capacity: 100, hidden: false },
      { name: 'Balcony', price: '65.50', capacity: 20, hidden: false },
    ]);
  });

  it("judges the start by the server's clock: a device an hour ahead refuses no start the server takes", () => {
    noteServerTime(String(Date.now() - 3_600_000), Date.now(), Date.now());
    const utcInput = (ms: number) => new Date(ms).toISOString().slice(0, 16); // a venue in UTC
    const v = { ...valid(), timezone: 'UTC', startsAt: utcInput(Date.now() - 1_800_000) }; // the device's past, the server's future
    expect(validateEvent(v).startsAt).toBeUndefined();
    v.startsAt = utcInput(Date.now() - 5_400_000); // past on both
    expect(validateEvent(v).startsAt).toBe('The start must be in the future.');
  });

  it('names each problem', () => {
    const v = valid();
    v.name = ' ';
    v.startsAt = '2029-12-31T10:00';
    v.maxPerUser = '0';
    v.categories[1] = { name: 'stalls', price: '1.234', capacity: '0', hidden: false, sold: 0, existing: false };
    expect(validateEvent(v, now)).toEqual({
      name: 'Give the event a name.',
      startsAt: 'The start must be in the future.',
      maxPerUser: 'A whole number of at least 1, or empty for no limit.',
      'categories.1.name': 'Category names must differ.',
      'categories.1.price': 'A price like 25 or 25.50.',
      'categories.1.capacity': 'A whole number of seats.',
    });
  });

  it('refuses lowering a capacity below what is sold', () => {
    const v = valid();
    v.categories[0] = { ...v.categories[0], capacity: '5', sold: 8, existing: true };
    expect(validateEvent(v, now, false)['categories.0.capacity']).toBe('At least 8: that many are sold.');
  });

  it('wants the end after the start', () => {
    expect(validateEvent({ ...valid(), endsAt: '2030-02-01T19:00' }, now).endsAt).toBe('The end must be after the start.');
  });
});

describe('EventForm', () => {
  it('validates before sending, then sends two categories', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Give the event a name.')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Name'), 'Gala');
    const [first] = screen.getAllByTestId('category-row');
    await userEvent.type(within(first).getByLabelText('Price'), '40');
    await userEvent.type(within(first).getByLabelText('Capacity'), '100');
    await userEvent.click(screen.getByRole('button', { name: '+ Add category' }));
    const second = screen.getAllByTestId('category-row')[1];
    await userEvent.type(within(second).getByLabelText('Category name'), 'Balcony');
    await userEvent.type(within(second).getByLabelText('Price'), '65.50');
    await userEvent.type(within(second).getByLabelText('Capacity'), '20');
    await userEvent.click(within(second).getByRole('checkbox', { name: /Hidden/ })); // a voucher unlocks it
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));

    expect(onSubmit).toHaveBeenCalledOnce();
    const sent = onSubmit.mock.calls[0][0];
    expect(sent.name).toBe('Gala');
    expect(sent.categories).toEqual([
      { name: 'General', price: '40', capacity: 100, hidden: false },
      { name: 'Balcony', price: '65.50', capacity: 20, hidden: true },
    ]);
  });
});

describe('checkout hold', () => {
  const HOLD_ERROR = 'Whole minutes from 1 to 60, or empty for 10.';
  const existing = (over: Partial<LedgerEvent> = {}) => ({
    id: 'e1', name: 'Gala', description: '', venue: 'Hall', starts_at: '2030-02-01T19:00:00Z', ends_at: null,
    currency: 'EUR', status: 'active', max_tickets_per_user: null, hold_seconds: 900, total_seats: 100, available_seats: 100,
    categories: [{ name: 'General', price: '40.00', capacity: 100, sold: 0, held: 0, waitlisted: 0, available: 100, hidden: false, reserved: 0 }],
    created_at: '2029-12-01T10:00:00Z', organizer_id: null, organizer_name: null, co_organizers: [], timezone: 'UTC',
    published: true, ...over,
  }) as LedgerEvent;
  const holdField = () => screen.getByLabelText('Checkout hold (minutes)');

  /** The create form filled with a valid event (one category), the hold field left as it is. */
  async function fillNewEvent() {
    await userEvent.type(screen.getByLabelText('Name'), 'Gala');
    const [first] = screen.getAllByTestId('category-row');
    await userEvent.type(within(first).getByLabelText('Price'), '40');
    await userEvent.type(within(first).getByLabelText('Capacity'), '100');
  }

  it('reads whole minutes from 1 to 60 as seconds, and seconds within the API bounds', () => {
    expect(holdSeconds('')).toBeNull();
    expect(holdSeconds(' 1 ')).toBe(60);
    expect(holdSeconds('60')).toBe(3600);
    for (const bad of ['0', '61', '1.5', '-5', '10m', 'ten', '4 s', '3601 s']) expect(holdSeconds(bad)).toBeUndefined();
    expect(holdSeconds('5 s')).toBe(5);
    expect(holdSeconds('3600s')).toBe(3600);
    expect([holdText(null), holdText(undefined), holdText(600), holdText(5), holdText(90)]).toEqual(['', '', '10', '5 s', '90 s']);
    expect(validateEvent({ ...valid(), holdMinutes: '61' }, now)).toEqual({ holdMinutes: HOLD_ERROR });
    expect(toInput({ ...valid(), holdMinutes: '15' }).hold_seconds).toBe(900);
    expect(toInput({ ...valid(), holdMinutes: '' }).hold_seconds).toBeNull();
  });

  it('sends the hold in seconds on create', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    expect(holdField()).toHaveValue('');
    expect(holdField()).toHaveAttribute('placeholder', '10');
    await fillNewEvent();
    await userEvent.type(holdField(), '5');
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].method).toBe('POST');
    expect(calls[0].data).toMatchObject({ name: 'Gala', hold_seconds: 300 });
  });

  it('sends null (the API default, 600 s) when the hold is left empty on create', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    await fillNewEvent();
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toHaveProperty('hold_seconds', null);
  });

  it('shows the field error for an out-of-bounds hold and sends nothing', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    const onSubmit = vi.fn((input: Parameters<typeof createEvent>[0]) => void createEvent(input));
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={onSubmit} />);
    await fillNewEvent();
    for (const bad of ['61', '0', '2.5']) {
      await userEvent.clear(holdField());
      await userEvent.type(holdField(), bad);
      await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
      expect(holdField()).toHaveAttribute('aria-invalid', 'true');
      expect(holdField()).toHaveAccessibleDescription(HOLD_ERROR);
    }
    expect(onSubmit).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
    // Editing the field takes its error away; a value in bounds is sent.
    await userEvent.clear(holdField());
    expect(screen.queryByText(HOLD_ERROR)).toBeNull();
    await userEvent.type(holdField(), '60');
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ hold_seconds: 3600 });
  });

  it('prefills the hold on edit, and sends it back, changed, or null once cleared', async () => {
    const calls = serveApi({ 'PUT /events/e1': ({ data }: Call) => ({ ...existing(), ...(data as object) }) });
    renderWithProviders(<EventForm event={existing()} busy={false} error={null} onSubmit={(input) => void updateEvent('e1', input)} />);
    expect(holdField()).toHaveValue('15');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ hold_seconds: 900 });

    await userEvent.clear(holdField());
    await userEvent.type(holdField(), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].data).toMatchObject({ hold_seconds: 180 });

    // Cleared: null, which the PUT reads as "back to the default" (omitted would keep 3 minutes).
    await userEvent.clear(holdField());
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2].data).toHaveProperty('hold_seconds', null);
  });

  it('clears the end and the per-person limit on edit: null is sent, not left out', async () => {
    const calls = serveApi({ 'PUT /events/e1': ({ data }: Call) => ({ ...existing(), ...(data as object) }) });
    const limited = existing({ ends_at: '2030-02-01T23:00:00Z', max_tickets_per_user: 4 });
    renderWithProviders(<EventForm event={limited} busy={false} error={null} onSubmit={(input) => void updateEvent('e1', input)} />);
    await userEvent.clear(screen.getByLabelText('Ends (optional)'));
    await userEvent.clear(screen.getByLabelText('Tickets per person'));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ ends_at: null, max_tickets_per_user: null });
  });

  it('prefills an event on the default as empty, and keeps a hold set in seconds elsewhere', async () => {
    expect(initialValues(existing({ hold_seconds: null })).holdMinutes).toBe('');
    const calls = serveApi({ 'PUT /events/e1': existing({ hold_seconds: 5 }) });
    renderWithProviders(<EventForm event={existing({ hold_seconds: 5 })} busy={false} error={null} onSubmit={(input) => void updateEvent('e1', input)} />);
    expect(holdField()).toHaveValue('5 s');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ hold_seconds: 5 });
  });
});

describe("the API's field errors", () => {
  function CreatingEventForm() {
    const save = useSaveEvent();
    return <EventForm busy={save.isPending} error={save.error} onSubmit={(input) => save.mutate(input)} />;
  }
  const tooLong = (loc: (string | number)[]) => ({ loc, msg: 'String should have at most 200 characters', type: 'string_too_long' });

  /** A valid one-category event submitted; its category row. */
  const submitGala = async (): Promise<HTMLElement> => {
    renderWithProviders(<CreatingEventForm />);
    await userEvent.type(screen.getByLabelText('Name'), 'Gala');
    const [first] = screen.getAllByTestId('category-row');
    await userEvent.type(within(first).getByLabelText('Price'), '40');
    await userEvent.type(within(first).getByLabelText('Capacity'), '100');
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    return first;
  };

  it('lands a validation error under its field, in words, with the code only as a detail', async () => {
    serveApi({
      'POST /events': refuse(422, 'VALIDATION_ERROR', 'The request is not valid', [
        tooLong(['body', 'name']),
        { loc: ['body', 'categories', 0, 'price'], msg: 'Decimal input should have no more than 2 decimal places', type: 'decimal_max_places' },
      ]),
    });
    const first = await submitGala();

    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('At most 200 characters'));
    expect(within(first).getByLabelText('Price')).toHaveAccessibleDescription('At most 2 decimals');
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('Not saved')).toBeInTheDocument();
    expect(alert).not.toHaveTextContent('At most 200 characters'); // said under the field, not again here
    expect(supportDetail(alert)).toHaveTextContent('Error code VALIDATION_ERROR');
    expect(alert).not.toHaveTextContent('VALIDATION_ERROR');

    await userEvent.type(screen.getByLabelText('Name'), '!');
    expect(screen.getByLabelText('Name')).not.toHaveAccessibleDescription(); // an edited field's error goes away
  });

  it('lists a problem no field shows in the message itself', async () => {
    serveApi({
      'POST /events': refuse(422, 'VALIDATION_ERROR', 'The request is not valid', [
        { loc: ['body'], msg: 'Value error, give either `categories` or `total_seats`, not both or neither', type: 'value_error' },
      ]),
    });
    await submitGala();
    expect(await screen.findByRole('alert')).toHaveTextContent('Give either `categories` or `total_seats`, not both or neither');
  });
});

describe('the venue time zone and drafts', () => {
  const london = (over: Partial<LedgerEvent> = {}) => ({
    id: 'e1', name: 'Gala', description: '', venue: 'Hall', starts_at: '2030-07-01T18:00:00Z', ends_at: null,
    currency: 'GBP', status: 'active', max_tickets_per_user: null, hold_seconds: null, total_seats: 10, available_seats: 10,
    categories: [{ name: 'General', price: '40.00', capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 }],
    created_at: '2029-12-01T10:00:00Z', organizer_id: null, organizer_name: null, co_organizers: [],
    timezone: 'Europe/London', published: false, ...over,
  }) as LedgerEvent;

  it("reads the start as the venue's clocks do, and sends the moment in UTC", () => {
    const values = initialValues(london());
    expect(values.startsAt).toBe('2030-07-01T19:00'); // 18:00 UTC is 19:00 BST
    expect(toInput({ ...values, startsAt: '2030-07-01T20:30' }).starts_at).toBe('2030-07-01T19:30:00.000Z');
    expect(toInput({ ...values, timezone: 'America/New_York', startsAt: '2030-07-01T20:30' }).starts_at)
      .toBe('2030-07-02T00:30:00.000Z');
  });

  it('refuses a zone that is not in the list', () => {
    expect(validateEvent({ ...valid(), timezone: 'Mars/Base' }, now).timezone).toMatch(/time zone/);
  });

  it('blames the zone, not a start typed in full, when the zone is not one', () => {
    const errors = validateEvent({ ...valid(), timezone: 'New York', startsAt: '2031-12-20T20:00' }, now);
    expect(errors.timezone).toMatch(/time zone/);
    expect(errors.startsAt).toBeUndefined();
    expect(validateEvent({ ...valid(), timezone: 'New York', startsAt: '' }, now).startsAt).toBe('Pick the start date and time.');
  });

  it("asks on a new event whether the venue is in the browser's zone, and says the venue's zone when editing", () => {
    const winter = new Date('2026-12-01T12:00:00Z');
    expect(zoneHint('Europe/Warsaw', true, 'Europe/Warsaw', winter))
      .toBe("Your browser's zone: Europe/Warsaw (UTC+1 now) \u2014 is the venue there? If not, type its city or country.");
    expect(zoneHint('America/New_York', true, 'Europe/Warsaw', winter))
      .toBe("The venue's, New York: UTC\u22125 now. The start and end below are its local times.");
    expect(zoneHint('Europe/Warsaw', false, 'Europe/Warsaw', winter)).toMatch(/^The venue's, Warsaw: UTC\+1 now\./);
    expect(zoneHint('New York', true, 'Europe/Warsaw', winter)).toMatch(/^Type the venue's city or country/);
  });

  it("starts a new event in the browser's zone and says so; an edited one in its venue's", () => {
    const { unmount } = renderWithProviders(<EventForm busy={false} error={null} onSubmit={() => {}} />);
    expect(screen.getByRole('combobox', { name: 'Time zone' })).toHaveAccessibleDescription(/^Your browser's zone: .+ is the venue there\?/);
    unmount();
    renderWithProviders(<EventForm event={london()} busy={false} error={null} onSubmit={() => {}} />);
    expect(screen.getByRole('combobox', { name: 'Time zone' })).toHaveValue('Europe/London');
  });

  it('saves a draft, or publishes at once, with the venue zone', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Gala');
    const zone = screen.getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/London');
    const [first] = screen.getAllByTestId('category-row');
    await userEvent.type(within(first).getByLabelText('Price'), '40');
    await userEvent.type(within(first).getByLabelText('Capacity'), '10');
    await userEvent.click(screen.getByRole('button', { name: 'Save as draft' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ name: 'Gala', timezone: 'Europe/London', published: false });
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].data).toMatchObject({ timezone: 'Europe/London', published: true });
  });

  it('never sends `published` on an update: a draft is published with its own command', async () => {
    const calls = serveApi({ 'PUT /events/e1': london() });
    renderWithProviders(<EventForm event={london()} busy={false} error={null} onSubmit={(input) => void updateEvent('e1', input)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ timezone: 'Europe/London', starts_at: '2030-07-01T18:00:00.000Z' });
    expect(calls[0].data).not.toHaveProperty('published');
  });
});

describe('EventForm payment methods', () => {
  const existing = () => ({
    id: 'e1', name: 'Gala', description: '', venue: 'Hall', starts_at: '2030-02-01T19:00:00Z', ends_at: null,
    currency: 'EUR', status: 'active', max_tickets_per_user: null, hold_seconds: null, total_seats: 100, available_seats: 100,
    categories: [{ name: 'General', price: '40.00', capacity: 100, sold: 0, held: 0, waitlisted: 0, available: 100, hidden: false, reserved: 0 }],
    created_at: '2029-12-01T10:00:00Z', organizer_id: null, organizer_name: null, co_organizers: [], timezone: 'UTC',
    published: true,
  }) as LedgerEvent;
  const methods = [
    { name: 'stripe', label: 'Card', by_default: true, books_seats_first: false },
    { name: 'offline', label: 'Bank transfer', by_default: false, books_seats_first: true },
  ];

  it("ticks the server's default (the card, not the transfer), and sends no choice when left so", () => {
    const onSubmit = vi.fn();
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={onSubmit} methods={methods} />);
    expect(screen.getByRole('checkbox', { name: /Card/ })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: /Bank transfer/ })).not.toBeChecked();
    expect(toInput(valid()).payment_methods).toBeNull();
  });

  it("prefills an event's choice, sends the methods ticked, and refuses none", async () => {
    const calls = serveApi({ 'PUT /events/e1': { id: 'e1' } });
    renderWithProviders(<EventForm event={{ ...existing(), payment_methods: ['offline'] }} busy={false} error={null}
      onSubmit={(input) => void updateEvent('e1', input)} methods={methods} />);
    expect(screen.getByRole('checkbox', { name: /Card/ })).not.toBeChecked();
    await userEvent.click(screen.getByRole('checkbox', { name: /Card/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ payment_methods: ['stripe', 'offline'] });
    expect(validateEvent({ ...valid(), paymentMethods: [] }).paymentMethods).toBe('Choose at least one way buyers may pay.');
  });
});

describe("the event's name and description in other languages", () => {
  const translated = (over: Partial<LedgerEvent> = {}) => ({
    id: 'e1', name: 'Gala', description: 'A night of jazz.', venue: 'Hall', starts_at: '2030-02-01T19:00:00Z', ends_at: null,
    currency: 'EUR', status: 'active', max_tickets_per_user: null, hold_seconds: null, total_seats: 100, available_seats: 100,
    categories: [{ name: 'General', price: '40.00', capacity: 100, sold: 0, held: 0, waitlisted: 0, available: 100, hidden: false, reserved: 0 }],
    created_at: '2029-12-01T10:00:00Z', organizer_id: null, organizer_name: null, co_organizers: [], timezone: 'UTC',
    published: true, translations: { pl: { name: 'Wieczór jazzowy', description: null } }, ...over,
  }) as LedgerEvent;

  it('folds them away on a new event, and sends those given, none for a language left empty', async () => {
    const calls = serveApi({ 'POST /events': { id: 'e1' } });
    renderWithProviders(<EventForm busy={false} error={null} onSubmit={(input) => void createEvent(input)} />);
    const part = screen.getByText('Translations (optional)').closest('details')!;
    expect(part).not.toHaveAttribute('open');
    await userEvent.click(screen.getByText('Translations (optional)'));
    expect(part).toHaveAttribute('open');
    const polish = screen.getByRole('group', { name: 'Polish' });
    expect(within(polish).getByLabelText('Name (Polish)')).toHaveAttribute('lang', 'pl');
    expect(screen.getByRole('group', { name: 'German' })).toHaveAccessibleDescription(/see the event’s name and description in it/);

    await userEvent.type(screen.getByLabelText('Name'), 'Gala');
    const [first] = screen.getAllByTestId('category-row');
    await userEvent.type(within(first).getByLabelText('Price'), '40');
    await userEvent.type(within(first).getByLabelText('Capacity'), '100');
    await userEvent.type(screen.getByLabelText('Name (Polish)'), '  Gala po polsku ');
    await userEvent.type(screen.getByLabelText('Description (German)'), 'Ein Abend mit Jazz.');
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({
      name: 'Gala', translations: { pl: { name: 'Gala po polsku' }, de: { description: 'Ein Abend mit Jazz.' } },
    });
    expect(toInput(valid()).translations).toEqual({}); // none given: none sent
  });

  it('pre-fills them on edit, open, and sends every language at once, a cleared one left out', async () => {
    const calls = serveApi({ 'PUT /events/e1': ({ data }: Call) => ({ ...translated(), ...(data as object) }) });
    renderWithProviders(<EventForm event={translated()} busy={false} error={null} onSubmit={(input) => void updateEvent('e1', input)} />);
    expect(screen.getByText('Translations (optional)').closest('details')).toHaveAttribute('open');
    expect(screen.getByLabelText('Name (Polish)')).toHaveValue('Wieczór jazzowy');
    expect(screen.getByLabelText('Description (Polish)')).toHaveValue('');
    await userEvent.type(screen.getByLabelText('Name (German)'), 'Jazzabend');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toMatchObject({ translations: { pl: { name: 'Wieczór jazzowy' }, de: { name: 'Jazzabend' } } });

    await userEvent.clear(screen.getByLabelText('Name (Polish)'));
    await userEvent.clear(screen.getByLabelText('Name (German)'));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect((calls[1].data as { translations: object }).translations).toEqual({}); // {}: the translations removed
  });

  it("keeps a language the form does not offer as the event has it", () => {
    const event = translated({ translations: { fr: { name: 'Soirée jazz', description: null } } });
    expect(toInput(initialValues(event)).translations).toEqual({ fr: { name: 'Soirée jazz' } });
  });

  it("lands the API's error on a translation under its field, the part opened", async () => {
    function EditingEventForm() {
      const save = useSaveEvent('e1');
      return <EventForm event={translated({ translations: {} })} busy={save.isPending} error={save.error} onSubmit={(input) => save.mutate(input)} />;
    }
    serveApi({
      'PUT /events/e1': refuse(422, 'VALIDATION_ERROR', 'The request is not valid', [
        { loc: ['body', 'translations', 'de', 'name'], msg: 'String should have at most 200 characters', type: 'string_too_long' },
      ]),
    });
    renderWithProviders(<EditingEventForm />);
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.getByLabelText('Name (German)')).toHaveAccessibleDescription('At most 200 characters'));
    expect(screen.getByText('Translations (optional)').closest('details')).toHaveAttribute('open');
  });

  it("names the languages in the page's own", async () => {
    await i18n.changeLanguage('de');
    renderWithProviders(<EventForm event={translated()} busy={false} error={null} onSubmit={() => {}} />);
    expect(screen.getByText('Übersetzungen (optional)')).toBeInTheDocument();
    expect(screen.getByLabelText('Name (Polnisch)')).toHaveValue('Wieczór jazzowy');
    expect(screen.getByRole('button', { name: 'Änderungen speichern' })).toBeInTheDocument();
  });
});
