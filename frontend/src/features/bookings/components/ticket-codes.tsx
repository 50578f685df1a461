import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

import { Badge, statusTone, statusWord } from '@/components/ui/feedback';
import type { Ticket } from '@/types/api';

function Qr({ code }: { code: string }) {
  const [src, setSrc] = useState<string>();
  const { t } = useTranslation('bookings');
  useEffect(() => {
    let alive = true;
    void QRCode.toDataURL(code, { width: 96, margin: 1 }).then((url) => alive && setSrc(url));
    return () => { alive = false; };
  }, [code]);
  return src ? <img className="qr" src={src} width={96} height={96} alt={t('tickets.qr', { code })} /> : null;
}

/** A booking's tickets with their codes and states (a cancelled one with what went back for it, `refundOf`), and
 * their QR codes on demand. */
export function TicketCodes({ tickets, refundOf }: { tickets: Ticket[]; refundOf?: (ticket: Ticket) => string | null }) {
  const [showQr, setShowQr] = useState(false);
  const { t: tr } = useTranslation('bookings');
  return (
    <div className="ticket-codes">
      <ul className="chips" aria-label={tr('tickets.codes')}>
        {tickets.map((t) => (
          <li key={t.code} className={`chip chip--${t.status}`}>
            {showQr && t.status === 'active' && <Qr code={t.code} />}
            <code data-testid="ticket-code">{t.code}</code>
            {t.category && <span className="chip__category" data-testid="ticket-category">{t.category}</span>}
            <Badge tone={statusTone(t.status)}>{statusWord(t.status)}</Badge>
            {refundOf?.(t) && <small className="chip__refund" data-testid="ticket-refund">{refundOf(t)}</small>}
          </li>
        ))}
      </ul>
      {tickets.some((t) => t.status === 'active') && (
        <button type="button" className="link" aria-pressed={showQr} onClick={() => setShowQr((v) => !v)}>
          {showQr ? tr('tickets.hideQr') : tr('tickets.showQr')}
        </button>
      )}
    </div>
  );
}
