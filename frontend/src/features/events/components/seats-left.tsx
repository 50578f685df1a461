/** Seats left in words; `status` is the event's, or its phase once it started ('started', 'ended'). */
export function seatsLabel(available: number, total: number, status: string): string {
  if (status === 'cancelled') return 'Cancelled';
  if (status === 'completed' || status === 'ended') return 'Ended';
  if (status === 'started') return 'Booking closed';
  if (available === 0) return 'Sold out';
  if (available <= Math.max(3, total * 0.1)) return `Only ${available} left`;
  return `${available} of ${total} seats left`;
}

/** Seats left as text and a bar; announced politely when it changes live. */
export function SeatsLeft({ available, total, status }: { available: number; total: number; status: string }) {
  const left = total > 0 && status === 'active' ? Math.round((available / total) * 100) : 0;
  const tone = status !== 'active' || available === 0 ? 'out' : available <= Math.max(3, total * 0.1) ? 'low' : 'ok';
  return (
    <div className={`seats seats--${tone}`}>
      <div className="seats__bar" aria-hidden="true"><span style={{ width: `${left}%` }} /></div>
      <span className="seats__label" aria-live="polite" data-testid="seats-left">
        {seatsLabel(available, total, status)}
      </span>
    </div>
  );
}
