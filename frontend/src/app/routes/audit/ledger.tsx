import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';

import { EventPicker } from '@/features/audit/components/event-picker';
import { ProjectionStatusTable } from '@/features/audit/components/projection-status';
import { ReconcileWithStripe } from '@/features/audit/components/reconciliation-runs';
import { TimeTravel } from '@/features/audit/components/time-travel';
import { VerifyRuns } from '@/features/audit/components/verify-runs';

/**
 * Any event's history and time travel; without one chosen, the projections, verification and,
 * with a payment provider, reconciliation with it.
 */
export function AuditLedgerRoute() {
  const { t } = useTranslation('audit');
  const { eventId } = useParams();
  return (
    <div className="audit">
      <aside className="card audit__side"><EventPicker current={eventId} /></aside>
      <div className="audit__main">
        {eventId ? (
          <TimeTravel key={eventId} eventId={eventId} />
        ) : (
          <>
            <section className="card"><h2>{t('ledger.projections')}</h2><ProjectionStatusTable /></section>
            <section className="card"><h2>{t('ledger.verify')}</h2><VerifyRuns /></section>
            <ReconcileWithStripe />
          </>
        )}
      </div>
    </div>
  );
}
