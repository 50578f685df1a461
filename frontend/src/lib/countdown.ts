import { useEffect, useState } from 'react';

import { serverNow } from './server-clock';

/** Time left as a person reads it: mm:ss, h:mm:ss from an hour; whole seconds rounded up, so 00:00 is the expiry itself. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** Milliseconds left until `expiresAt` by the server's clock (0 once past, or with none), updated every second until it reaches 0. */
export function useCountdown(expiresAt: string | null | undefined): number {
  const deadline = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  const left = () => (Number.isNaN(deadline) ? 0 : Math.max(0, deadline - serverNow()));
  const [remaining, setRemaining] = useState(left);

  useEffect(() => {
    setRemaining(left());
    if (Number.isNaN(deadline)) return undefined;
    let timer: ReturnType<typeof setTimeout>;
    // Each tick lands just after a whole second changes, so the display never lags a second behind.
    const tick = () => {
      const now = left();
      setRemaining(now);
      if (now > 0) timer = setTimeout(tick, (now % 1000) + 20);
    };
    timer = setTimeout(tick, (left() % 1000) + 20);
    return () => clearTimeout(timer);
  }, [deadline]);

  return remaining;
}
