import { useTranslation } from 'react-i18next';
import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import type { Booking, Hold } from '@/types/api';

import { getBooking, methodName, payHoldBy, usePaidHold } from '../api/pay-hold';

interface Props {
  hold: Hold;
  /** The method's name and what a person reads (a bank transfer). */
  method: { name: string; label: string };
  currency: string;
  total: number;
  onBooked: (booking: Booking) => void;
  /** Whether another action on the hold (releasing it) is under way. */
  busy?: boolean;
  /** Run before the seats are booked (what else the checkout asked for is sent); false: nothing is booked. */
  beforePaying?: () => Promise<boolean>;
}

/**
 * Pay for a hold by bank transfer: the seats are booked at once and their price owed. The booking is handed on
 * as a card's is (`onBooked`): its confirmation shows the amount to transfer and the reference to quote, which
 * the organizers match when they mark the money received.
 */
export function TransferPayment({ hold, method, currency, total, onBooked, busy = false, beforePaying }: Props) {
  const [problem, setProblem] = useState<unknown>(null);
  const [paying, setPaying] = useState(false);
  const refresh = usePaidHold();
  const { t } = useTranslation('checkout');

  async function book() {
    setPaying(true);
    setProblem(null);
    try {
      if (beforePaying && !(await beforePaying())) {
        setPaying(false);
        return;
      }
      const payment = await payHoldBy(hold.id, method.name);
      if (!payment.booking_id) throw new Error(i18n.t('checkout:transfer.notBookedRetry'));
      const booking = await getBooking(payment.booking_id);
      onBooked(booking);
      refresh();
    } catch (error) {
      setProblem(error);
      setPaying(false);
    }
  }

  return (
    <div className="transfer-payment" data-testid="transfer-payment">
      <p className="muted">{t('transfer.note', { amount: money(total, currency) })}</p>
      {problem !== null && <ErrorMessage error={problem} title={t('transfer.notBooked')} />}
      <div className="row">
        <button type="button" className="btn" disabled={paying || busy} onClick={() => void book()}>
          {paying ? t('transfer.booking') : t('transfer.book', { method: methodName(method).toLowerCase() })}
        </button>
      </div>
    </div>
  );
}
