import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';
import { formatCountdown, useCountdown } from '@/lib/countdown';
import { dateTime } from '@/lib/format';
import { serverNow } from '@/lib/server-clock';
import type { InclusionProof } from '@/types/api';

import { fetchBookingProof, saveProof, useProofReadiness, type ProofNotYet } from './get-booking-proof';

// Heads come every interval while the log grows: a signer that missed this many in a row is down, and asking on
// without end would only hide it.
const AUTOMATIC_TRIES = 5;

/**
 * "Download proof of booking": the booking's inclusion proof in the latest signed tree head, offered once a head
 * covers the booking (`position`, its latest event's, tells); until then it says the proof comes shortly. Where that
 * cannot be told, the button asks, and a refusal that passes counts down to the next head (by the server's clock),
 * asks again at zero, then offers the file. Said in a buyer's words: a proof that the booking is on record.
 */
export function BookingProof({ bookingId, position }: { bookingId: string; position?: number | null }) {
  const readiness = useProofReadiness(position);
  const { t } = useTranslation('bookings');
  const [waiting, setWaiting] = useState<ProofNotYet | null>(null);
  const [ready, setReady] = useState<InclusionProof | null>(null);
  const [saved, setSaved] = useState(false);
  const [tries, setTries] = useState(0);
  const ask = useMutation({
    mutationFn: (_: { asked: boolean }) => fetchBookingProof(bookingId),
    onSuccess: (answer, { asked }) => {
      if ('notYet' in answer) { setWaiting(answer.notYet); return; }
      setWaiting(null);
      setReady(answer.proof);
      // Saved at once only when a person's click asked for it; one found by a retry is offered instead.
      if (asked) { saveProof(bookingId, answer.proof); setSaved(true); }
    },
    onError: () => setWaiting(null),
  });
  const remaining = useCountdown(waiting ? new Date(waiting.dueAt).toISOString() : null);
  const due = !!waiting && remaining === 0 && serverNow() >= waiting.dueAt;
  const givenUp = !!waiting && tries >= AUTOMATIC_TRIES && !ask.isPending;

  useEffect(() => {
    if (!due || givenUp || ask.isPending) return;
    setTries((t) => t + 1);
    ask.mutate({ asked: false });
  }, [due, givenUp, ask]);

  const download = () => {
    if (ready) { saveProof(bookingId, ready); setSaved(true); return; }
    setTries(0);
    ask.mutate({ asked: true });
  };

  if (readiness === 'checking') return null;
  if (readiness === 'soon' && !ready && !waiting) {
    return (
      <div className="proof" data-testid="booking-proof">
        <p className="muted" role="status" data-testid="proof-soon">
          {t('proof.soon')}
        </p>
      </div>
    );
  }
  return (
    <div className="proof" data-testid="booking-proof">
      {!waiting && (
        <button type="button" className={`btn btn--small${ready && !saved ? '' : ' btn--ghost'}`} disabled={ask.isPending} onClick={download}>
          {ask.isPending ? t('proof.preparing') : ready && !saved ? t('proof.save') : t('proof.download')}
        </button>
      )}
      {waiting && !givenUp && (
        <p className="muted" role="status" data-testid="proof-waiting">
          {ask.isPending || remaining === 0
            ? t('proof.askingAgain')
            : <Trans t={t} i18nKey="proof.almost" values={{ time: formatCountdown(remaining) }}
              components={{ time: <strong className="proof__countdown" role="timer" aria-live="off" data-testid="proof-countdown" /> }} />}
        </p>
      )}
      {givenUp && (
        <div className="alert alert--warning" role="status">
          <p>{t('proof.slow')}</p>
          <button type="button" className="btn btn--small" onClick={download}>{t('common:error.retry')}</button>
        </div>
      )}
      {ready && !saved && <p className="muted" role="status">{t('proof.ready')}</p>}
      {ready && saved && (
        <p className="muted" role="status">
          {t('proof.saved', { time: dateTime(ready.head.timestamp) })}
        </p>
      )}
      {ask.error && <ErrorMessage error={ask.error} title={t('proof.none')} />}
    </div>
  );
}
