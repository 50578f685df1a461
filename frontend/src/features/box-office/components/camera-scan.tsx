import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

// The Barcode Detection API (Chromium on Android and ChromeOS, Safari behind a flag): not in TypeScript's DOM yet.
type Detector = { detect: (source: HTMLVideoElement) => Promise<{ rawValue: string }[]> };
type DetectorClass = { new (options: { formats: string[] }): Detector };

function detectorClass(): DetectorClass | undefined {
  return (globalThis as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
}

/** "Scan with the camera" where the browser reads QR codes itself; nothing where it cannot (the code is typed). */
export function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation('boxOffice');
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string>();
  const video = useRef<HTMLVideoElement>(null);
  const Barcodes = detectorClass();
  useEffect(() => {
    if (!open || !Barcodes) return undefined;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Barcodes({ formats: ['qr_code'] });
    const look = async () => {
      if (stopped || !video.current) return;
      try {
        const [found] = await detector.detect(video.current);
        if (found?.rawValue) { setOpen(false); onCode(found.rawValue); return; }
      } catch { /* a frame not ready yet: the next one */ }
      timer = setTimeout(() => void look(), 250);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
      .then((media) => {
        stream = media;
        if (video.current) { video.current.srcObject = media; void video.current.play(); }
        void look();
      })
      .catch(() => { setProblem(t('camera.unusable')); setOpen(false); });
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [open, Barcodes, onCode, t]);
  if (!Barcodes || !navigator.mediaDevices) return null;
  return (
    <>
      <button type="button" className="btn btn--ghost" onClick={() => { setProblem(undefined); setOpen(!open); }}>
        {open ? t('camera.stop') : t('camera.scan')}
      </button>
      {open && <video ref={video} className="door__camera" muted playsInline aria-label={t('camera.label')} />}
      {problem && <p className="muted">{problem}</p>}
    </>
  );
}
