import { useMemo, useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { idempotencyKey, money } from '@/lib/format';
import type { Booking, Category } from '@/types/api';

import { useBookEvent } from '../api/book-event';

export const MAX_PER_BOOKING = 50; // the API's default MAX_TICKETS_PER_BOOKING

/** Why a quantity cannot be booked, or null: within what is left and the per-user limit. */
export function quantityError(raw: string, available: number, perUserLeft: number | null): string | null {
  if (!/^\d+$/.test(raw.trim())) return 'Enter a whole number of tickets.';
  const quantity = Number(raw);
  if (quantity < 1) return 'Book at least 1 ticket.';
  if (available === 0) return 'This category is sold out.';
  if (quantity > available) return `Only ${available} left in this category.`;
  if (perUserLeft !== null && quantity > perUserLeft) {
    return perUserLeft === 0
      ? 'You already hold the most tickets allowed per person for this event.'
      : `You can book ${perUserLeft} more (limit per person).`;
  }
  if (quantity > MAX_PER_BOOKING) return `At most ${MAX_PER_BOOKING} tickets per booking.`;
  return null;
}

interface Props {
  eventId: string;
  currency: string;
  categories: Category[];
  perUserLeft: number | null;
  onBooked: (booking: Booking) => void;
}

export function BookingForm({ eventId, currency, categories, perUserLeft, onBooked }: Props) {
  const book = useBookEvent();
  const firstOpen = categories.find((c) => c.available > 0) ?? categories[0];
  const [category, setCategory] = useState(firstOpen?.name ?? '');
  const [quantity, setQuantity] = useState('1');
  const [touched, setTouched] = useState(false);
  // One key per intended booking: a retry after a dropped answer books nothing more.
  const [key, setKey] = useState(idempotencyKey);
  const chosen = categories.find((c) => c.name === category) ?? firstOpen;
  const error = chosen ? quantityError(quantity, chosen.available, perUserLeft) : 'Choose a category.';
  const total = useMemo(() => (chosen && /^\d+$/.test(quantity) ? Number(chosen.price) * Number(quantity) : 0), [chosen, quantity]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (error || !chosen) return;
    book.mutate(
      { eventId, category: chosen.name, quantity: Number(quantity), idempotencyKey: key },
      { onSuccess: (booking) => { setKey(idempotencyKey()); setQuantity('1'); setTouched(false); onBooked(booking); } },
    );
  };

  return (
    <form className="form booking-form" onSubmit={submit} noValidate aria-label="Book tickets">
      <SelectField label="Category" value={chosen?.name ?? ''} onChange={(e) => { setCategory(e.target.value); setKey(idempotencyKey()); }}>
        {categories.map((c) => (
          <option key={c.name} value={c.name} disabled={c.available === 0}>
            {c.name} — {money(c.price, currency)} ({c.available === 0 ? 'sold out' : `${c.available} left`})
          </option>
        ))}
      </SelectField>
      <Field label="Tickets" type="number" inputMode="numeric" min={1}
        max={Math.max(1, Math.min(chosen?.available ?? 1, perUserLeft ?? Infinity, MAX_PER_BOOKING))}
        value={quantity} onChange={(e) => { setQuantity(e.target.value); setTouched(true); setKey(idempotencyKey()); }}
        error={touched && error ? error : undefined}
        hint={perUserLeft !== null ? `Up to ${perUserLeft} more for you on this event.` : undefined} />
      <p className="booking-form__total">Total <strong>{money(total, currency)}</strong></p>
      {book.error && <ErrorMessage error={book.error} title="Booking refused" />}
      <button type="submit" className="btn btn--block" disabled={book.isPending || (touched && !!error)}>
        {book.isPending ? 'Booking…' : 'Book now'}
      </button>
    </form>
  );
}
