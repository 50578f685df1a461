import { useMemo, useState, type FormEvent } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { normaliseError } from '@/lib/api-client';
import { idempotencyKey, money } from '@/lib/format';
import type { Category, Hold } from '@/types/api';

import { useHoldSeats } from '../api/hold-seats';
import { useJoinWaitlist } from '../api/join-waitlist';

export const MAX_PER_BOOKING = 50; // the API's default MAX_TICKETS_PER_BOOKING

/** Why a quantity cannot be reserved, or null: within what is on sale and the per-user limit. */
export function quantityError(raw: string, available: number, perUserLeft: number | null): string | null {
  if (!/^\d+$/.test(raw.trim())) return 'Enter a whole number of tickets.';
  const quantity = Number(raw);
  if (quantity < 1) return 'Book at least 1 ticket.';
  if (available === 0) return 'This category is sold out.';
  if (quantity > available) return `Only ${available} left in this category.`;
  return limitError(quantity, perUserLeft);
}

/** Why a quantity cannot go on a sold-out category's waitlist, or null (checked against the whole category). */
export function waitlistQuantityError(raw: string, capacity: number, perUserLeft: number | null): string | null {
  if (!/^\d+$/.test(raw.trim())) return 'Enter a whole number of tickets.';
  const quantity = Number(raw);
  if (quantity < 1) return 'Book at least 1 ticket.';
  if (quantity > capacity) return `This category has ${capacity} seats in all.`;
  return limitError(quantity, perUserLeft);
}

function limitError(quantity: number, perUserLeft: number | null): string | null {
  if (perUserLeft !== null && quantity > perUserLeft) {
    return perUserLeft === 0
      ? 'You already hold the most tickets allowed per person for this event.'
      : `You can book ${perUserLeft} more (limit per person).`;
  }
  if (quantity > MAX_PER_BOOKING) return `At most ${MAX_PER_BOOKING} tickets per booking.`;
  return null;
}

/** The hold's refusal that means "none on sale now": the waitlist is the way to these seats (a waitlist forms only
 * once a category is sold out; seats still on sale are booked or held). */
const NOT_ON_SALE = new Set(['SOLD_OUT']);

interface Props {
  eventId: string;
  currency: string;
  categories: Category[];
  perUserLeft: number | null;
  /** The categories whose waitlist the user has a place on already. */
  waitlistedIn: ReadonlySet<string>;
  /** How long a hold keeps its seats, in words ("10 minutes"). */
  holdFor: string;
  onHeld: (hold: Hold) => void;
}

/**
 * Choose seats and reserve them (a hold, confirmed at checkout); for a sold-out category (or one the API says sold
 * out meanwhile), join its waitlist instead.
 */
export function ReserveForm({ eventId, currency, categories, perUserLeft, waitlistedIn, holdFor, onHeld }: Props) {
  const hold = useHoldSeats();
  const join = useJoinWaitlist();
  const firstOpen = categories.find((c) => c.available > 0) ?? categories[0];
  const [category, setCategory] = useState(firstOpen?.name ?? '');
  const [quantity, setQuantity] = useState('1');
  const [touched, setTouched] = useState(false);
  // One key per intended hold or place: a retry after a dropped answer takes nothing more.
  const [key, setKey] = useState(idempotencyKey);
  const chosen = categories.find((c) => c.name === category) ?? firstOpen;
  const refusedForSale = hold.error ? NOT_ON_SALE.has(normaliseError(hold.error).code) : false;
  const toWaitlist = !!chosen && (chosen.available === 0 || refusedForSale);
  const error = !chosen ? 'Choose a category.'
    : toWaitlist ? waitlistQuantityError(quantity, chosen.capacity, perUserLeft)
      : quantityError(quantity, chosen.available, perUserLeft);
  const total = useMemo(() => (chosen && /^\d+$/.test(quantity) ? Number(chosen.price) * Number(quantity) : 0), [chosen, quantity]);
  const onItsWaitlist = !!chosen && waitlistedIn.has(chosen.name);

  const changed = () => { setKey(idempotencyKey()); hold.reset(); join.reset(); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (error || !chosen) return;
    const input = { eventId, category: chosen.name, quantity: Number(quantity), idempotencyKey: key };
    if (toWaitlist) {
      join.mutate(input, { onSuccess: () => { setKey(idempotencyKey()); hold.reset(); setTouched(false); } });
    } else {
      hold.mutate(input, { onSuccess: (held) => { setKey(idempotencyKey()); setQuantity('1'); setTouched(false); onHeld(held); } });
    }
  };

  return (
    <form className="form booking-form" onSubmit={submit} noValidate aria-label="Book tickets">
      <SelectField label="Category" value={chosen?.name ?? ''} onChange={(e) => { setCategory(e.target.value); changed(); }}>
        {categories.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} — {money(c.price, currency)} ({c.available === 0 ? 'sold out' : `${c.available} left`})
          </option>
        ))}
      </SelectField>
      <Field label="Tickets" type="number" inputMode="numeric" min={1}
        max={Math.max(1, Math.min(toWaitlist ? chosen?.capacity ?? 1 : chosen?.available ?? 1, perUserLeft ?? Infinity, MAX_PER_BOOKING))}
        value={quantity} onChange={(e) => { setQuantity(e.target.value); setTouched(true); changed(); }}
        error={touched && error ? error : undefined}
        hint={perUserLeft !== null ? `Up to ${perUserLeft} more for you on this event.` : undefined} />
      <p className="booking-form__total">Total <strong>{money(total, currency)}</strong></p>
      {hold.error && <ErrorMessage error={hold.error} title={refusedForSale ? 'Not on sale now' : 'Reservation refused'} />}
      {join.error && <ErrorMessage error={join.error} title="Could not join the waitlist" />}
      {onItsWaitlist ? (
        <Notice>You are on this category&apos;s waitlist.</Notice>
      ) : toWaitlist ? (
        <>
          <p className="muted" data-testid="sold-out">
            {chosen.name} is sold out.{' '}
            Join the waitlist: seats that come back on sale are offered by rank, in the order of joining, all you wait
            for or as many as came back.
          </p>
          <button type="submit" className="btn btn--block" disabled={join.isPending || (touched && !!error)}>
            {join.isPending ? 'Joining…' : 'Join the waitlist'}
          </button>
        </>
      ) : (
        <>
          <button type="submit" className="btn btn--block" disabled={hold.isPending || (touched && !!error)}>
            {hold.isPending ? 'Reserving…' : 'Reserve seats'}
          </button>
          <p className="muted booking-form__note">Reserved seats are yours for {holdFor} while you confirm.</p>
        </>
      )}
    </form>
  );
}
