import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A ticket code as a QR image (rendered locally: the code never leaves the browser). */
export function TicketQr({ code, size = 128 }: { code: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const { t } = useTranslation('bookings');
  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(code, { width: size, margin: 1, errorCorrectionLevel: 'M' })
      .then((url) => { if (alive) setSrc(url); })
      .catch(() => { if (alive) setSrc(null); });
    return () => { alive = false; };
  }, [code, size]);
  if (!src) return <div className="qr qr--placeholder" style={{ width: size, height: size }} aria-hidden="true" />;
  return <img className="qr" src={src} width={size} height={size} alt={t('tickets.qr', { code })} />;
}
