import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { CommandLine } from '@/components/ui/command-line';
import { Spinner } from '@/components/ui/spinner';
import { dateTime } from '@/lib/format';
import type { LedgerEvent } from '@/types/api';

import {
  downloadEventProofs, downloadEventStream, downloadKeys, downloadLog, usePublicKeys, verifyCommand,
} from '../api/exports';
import { EventPicker } from './event-picker';

/** A download button, the file it saved (or why not), and the command that checks that file. */
export function Download({ label, file, download }: { label: string; file: string; download: () => Promise<string> }) {
  const { t } = useTranslation('audit');
  const run = useMutation({ mutationFn: download });
  const name = run.data ?? file;
  return (
    <div className="download">
      <button type="button" className="btn" disabled={run.isPending} onClick={() => run.mutate()}>
        {run.isPending ? t('exports.downloading') : label}
      </button>
      <CommandLine command={verifyCommand(name)} label={t('exports.check', { name })} />
      {run.data && <small className="muted" role="status">{t('exports.saved', { name: run.data })}</small>}
      {run.error && <ErrorMessage error={run.error} title={t('exports.notDownloaded')} />}
    </div>
  );
}

function Keys() {
  const { t } = useTranslation('audit');
  const keys = usePublicKeys();
  const save = useMutation({ mutationFn: downloadKeys });
  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('exports.keys.title')}</h2>
      <p className="muted">{t('exports.keys.about')}</p>
      <div className="row">
        <button type="button" className="btn" disabled={save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? t('exports.downloading') : t('exports.keys.download')}
        </button>
        {save.data && <small className="muted" role="status">{t('exports.saved', { name: 'keys.json' })}</small>}
      </div>
      {save.error && <ErrorMessage error={save.error} title={t('exports.notDownloaded')} />}
      {keys.isPending && <Spinner label={t('exports.keys.loading')} />}
      {keys.isError && <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.isSuccess && (
        keys.data.keys.length === 0 ? <p className="muted">{t('exports.keys.none')}</p> : (
          <ul className="plain-list" aria-label={t('exports.keys.list')}>
            {keys.data.keys.map((k) => (
              <li key={k.key_id}>
                <code>{k.key_id}</code> {k.algorithm ?? 'Ed25519'}{' '}
                {k.key_id === keys.data.key_id && <Badge tone="green">{t('exports.keys.signingNow')}</Badge>}
                {k.retired_at && <Badge tone="amber">{t('exports.keys.retired', { time: dateTime(k.retired_at) })}</Badge>}
                {k.first_used_at && <small className="muted"> · {t('exports.keys.firstHead', { time: dateTime(k.first_used_at) })}</small>}
              </li>
            ))}
          </ul>
        )
      )}
    </section>
  );
}

/** Downloads to check offline: the whole log with its signed heads, one event's stream, the keys. */
export function ExportsPanel() {
  const { t } = useTranslation('audit');
  const [event, setEvent] = useState<LedgerEvent | null>(null);
  return (
    <>
      <Keys />
      <section className="card" aria-labelledby="log-export-title">
        <h2 id="log-export-title">{t('exports.log.title')}</h2>
        <p className="muted">{t('exports.log.about')}</p>
        <Download label={t('exports.log.download')} file="ledger-log.jsonl" download={downloadLog} />
      </section>
      <section className="card" aria-labelledby="event-export-title">
        <h2 id="event-export-title">{t('exports.event.title')}</h2>
        <div className="audit">
          <div><EventPicker current={event?.id} onPick={setEvent} label={t('exports.event.choose')} /></div>
          <div>
            {event ? (
              <>
                <h3>{event.name}</h3>
                <p className="muted">{t('exports.event.proofsAbout')}</p>
                <Download key={`p-${event.id}`} label={t('exports.event.proofsDownload')} file={`event-${event.id}-proofs.jsonl`}
                  download={() => downloadEventProofs(event.id)} />
                <p className="muted">{t('exports.event.streamAbout')}</p>
                <Download key={`s-${event.id}`} label={t('exports.event.streamDownload')} file={`event-${event.id}.jsonl`}
                  download={() => downloadEventStream(event.id)} />
              </>
            ) : <p className="muted">{t('exports.event.chooseHint')}</p>}
          </div>
        </div>
      </section>
    </>
  );
}
