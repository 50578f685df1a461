import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { normaliseError } from '@/lib/api-client';
import { dateTime, eventTime } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { ERASED_NAME, personName } from '@/lib/persons';

import { useCheckInAt, useUndoCheckIn, type UsedTicket } from '../api/box-office';
import { CameraScan } from './camera-scan';

/** The ticket a refusal of a second scan names: whose it is and when it was checked in. */
function usedTicket(error: unknown): UsedTicket | undefined {
  const e = normaliseError(error);
  const ticket = e.code === 'TICKET_ALREADY_USED' ? e.facts.ticket : undefined;
  return ticket && typeof ticket === 'object' ? (ticket as UsedTicket) : undefined;
}

function holder(t: { name?: string | null; category?: string | null }): string {
  return [personName(t.name), t.category].filter(Boolean).join(' · ');
}

const DAY_MS = 86_400_000;

/** A warning when the event starts more than a day after `now`: a ticket scanned at the wrong event's door, or a day
 * early. null when it starts sooner (or has started). */
export function earlyWarning(startsAt: string | undefined, zone: string, now = Date.now()): string | null {
  if (!startsAt || new Date(startsAt).getTime() - now <= DAY_MS) return null;
  return i18n.t('boxOffice:door.early', { time: eventTime(startsAt, zone) });
}

/**
 * One event's door: a code typed or scanned is checked in at this event only; the answer names the ticket's holder
 * and category, a second scan says when the first was, and either can be undone (a wrong scan), as an event.
 */
export function Door({ eventId, zone, startsAt }: { eventId: string; zone: string; startsAt?: string }) {
  const { t } = useTranslation('boxOffice');
  const checkIn = useCheckInAt(eventId);
  const undo = useUndoCheckIn(eventId);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const scan = (value: string) => {
    const trimmed = value.trim();
    if (!trimmed) { setError(t('door.missing')); return; }
    setError(undefined);
    undo.reset();
    // The field is left for the next scan once the answer shows the ticket (a typo stays to be mended).
    checkIn.mutate(trimmed, {
      onSuccess: () => setCode(''),
      onError: (e) => { if (usedTicket(e)) setCode(''); },
    });
  };
  const submit = (e: FormEvent) => { e.preventDefault(); scan(code); };
  const used = usedTicket(checkIn.error);
  const early = earlyWarning(startsAt, zone);
  const undoing = (ticketCode: string) => { undo.mutate(ticketCode, { onSuccess: () => checkIn.reset() }); };
  return (
    <div className="door">
      <form className="form form--inline" onSubmit={submit} noValidate aria-label={t('door.form')}>
        <Field label={t('door.code')} value={code} error={error} autoComplete="off" autoFocus onChange={(e) => setCode(e.target.value)} />
        <button type="submit" className="btn" disabled={checkIn.isPending}>{checkIn.isPending ? t('door.checking') : t('door.checkIn')}</button>
        <CameraScan onCode={scan} />
      </form>
      {checkIn.isSuccess && (
        <div className="alert alert--success door__result" role="status" data-testid="door-result">
          <strong>{checkIn.data.name && checkIn.data.name !== ERASED_NAME ? t('door.welcomeName', { name: checkIn.data.name }) : t('door.welcome')}</strong>
          <p>{holder(checkIn.data)} · {t('door.checkedIn', { time: dateTime(checkIn.data.checked_in_at) })} · <code>{checkIn.data.code}</code></p>
          {early && <p className="door__early" data-testid="door-early"><strong>{early}</strong></p>}
          <button type="button" className="btn btn--small btn--ghost" disabled={undo.isPending} onClick={() => undoing(checkIn.data.code)}>
            {t('door.undoThis')}
          </button>
        </div>
      )}
      {used && (
        <div className="alert alert--warning door__result" role="alert" data-testid="door-result">
          <strong>{t('door.already', { time: dateTime(used.checked_in_at) })}</strong>
          <p>{holder(used)} · <code>{used.code}</code>. {t('door.copy')}</p>
          <button type="button" className="btn btn--small btn--ghost" disabled={undo.isPending} onClick={() => undoing(used.code)}>
            {t('door.undoThat')}
          </button>
        </div>
      )}
      {checkIn.error && !used && <ErrorMessage error={checkIn.error} title={t('door.notCheckedIn')} />}
      {undo.isSuccess && (
        <Notice tone="info"><Trans t={t} i18nKey="door.undone" values={{ code: undo.data.code }} components={{ code: <code /> }} /></Notice>
      )}
      {undo.error && <ErrorMessage error={undo.error} title={t('door.notUndone')} />}
    </div>
  );
}
