import { formatCountdown } from '@/lib/countdown';

// Kept here too: the holds' checkout and tests read them from this file.
export { formatCountdown, useCountdown } from '@/lib/countdown';

/** A live mm:ss to a moment; screen readers get it on focus, not each second. */
export function Countdown({ remaining }: { remaining: number }) {
  const urgent = remaining > 0 && remaining <= 60_000;
  return (
    <span className={`countdown${urgent ? ' countdown--urgent' : ''}`} role="timer" aria-live="off" data-testid="hold-countdown">
      {formatCountdown(remaining)}
    </span>
  );
}
