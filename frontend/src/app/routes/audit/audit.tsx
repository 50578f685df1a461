import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useAuditEvents } from '@/features/audit/api/audit';
import { ProjectionStatusTable } from '@/features/audit/components/projection-status';
import { TimeTravel } from '@/features/audit/components/time-travel';
import { VerifyPanel } from '@/features/audit/components/verify-report';
import { dateTime } from '@/lib/format';

function EventPicker({ current }: { current?: string }) {
  const [q, setQ] = useState('');
  const events = useAuditEvents(q);
  return (
    <nav aria-label="Events to audit">
      <Field label="Find an event" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      {events.isPending && <Spinner />}
      {events.isError && <ErrorMessage error={events.error} />}
      {events.data?.length === 0 && <Empty title="No events" />}
      <ul className="picker">
        {events.data?.map((e) => (
          <li key={e.id}>
            <Link to={`/audit/events/${e.id}`} aria-current={e.id === current ? 'page' : undefined}>
              <strong>{e.name}</strong> <Badge tone={statusTone(e.status)}>{e.status}</Badge>
              <small>{dateTime(e.starts_at)}</small>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function AuditRoute() {
  const { eventId } = useParams();
  return (
    <>
      <h1>Audit</h1>
      <div className="audit">
        <aside className="card audit__side"><EventPicker current={eventId} /></aside>
        <div className="audit__main">
          {eventId ? (
            <TimeTravel key={eventId} eventId={eventId} />
          ) : (
            <>
              <section className="card"><h2>Projections</h2><ProjectionStatusTable /></section>
              <section className="card"><h2>Verify the ledger</h2><VerifyPanel /></section>
            </>
          )}
        </div>
      </div>
    </>
  );
}
