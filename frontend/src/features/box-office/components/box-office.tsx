import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { clockTime, dateTime, money, plural, viewerZone } from '@/lib/format';

import { useBoxOffice, type BoxOffice as Office } from '../api/box-office';
import { AttendeeList } from './attendee-list';
import { Door } from './door';
import { Messages } from './messages';

function Seats({ office }: { office: Office }) {
  return (
    <TableWrap label="Seats per category">
      <table className="table" aria-label="Seats per category">
        <thead>
          <tr>
            <th scope="col">Category</th><th scope="col" className="num">Price</th><th scope="col" className="num">Capacity</th>
            <th scope="col" className="num">Sold</th><th scope="col" className="num">Held</th>
            <th scope="col" className="num">Waiting</th><th scope="col" className="num">Free</th>
          </tr>
        </thead>
        <tbody>
          {office.categories.map((c) => (
            <tr key={c.name} data-testid={`seats-${c.name}`}>
              <th scope="row">{c.name}</th>
              <td className="num">{money(c.price, office.currency)}</td>
              <td className="num">{c.capacity}</td>
              <td className="num" data-testid="sold">{c.sold}</td>
              <td className="num">{c.held}</td>
              <td className="num">{c.waitlisted}</td>
              <td className="num" data-testid="free">{c.free}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Money({ office }: { office: Office }) {
  const m = office.money;
  const figures: [string, string][] = [
    ['Gross sales', m.revenue], ['Refunded', m.refunds], ['Net sales', m.net],
    ['Collected', m.collected], ['Returned', m.returned], ['Net collected', m.collected_net],
  ];
  return (
    <dl className="figures" aria-label={`Money in ${m.currency}`}>
      {figures.map(([label, amount]) => (
        <div key={label}><dt>{label}</dt><dd>{money(amount, m.currency)}</dd></div>
      ))}
    </dl>
  );
}

function CheckIns({ office }: { office: Office }) {
  const zone = viewerZone(); // check-ins are the reader's times, as every time but an event's
  const { checked_in: done, tickets, series } = office.check_ins;
  const most = Math.max(1, ...series.map((s) => s.count));
  return (
    <>
      <p data-testid="check-in-count"><strong>{done}</strong> of {plural(tickets, 'ticket')} checked in</p>
      {series.length > 0 && (
        <ol className="bars" aria-label="Check-ins per quarter hour">
          {series.map((s) => (
            <li key={s.at} title={`${dateTime(s.at, zone)}: ${s.count}`}>
              <span className="bars__bar" style={{ height: `${(100 * s.count) / most}%` }} />
              <span className="bars__label">{clockTime(s.at, zone)}</span>
              <span className="sr-only">{s.count} {s.count === 1 ? 'check-in' : 'check-ins'}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/** An event's box office: seats per category, its money, check-ins over time, the door, its attendees, and the
 * messages e-mailed to its buyers. */
export function BoxOffice({ eventId, zone, startsAt, canCheckIn }: { eventId: string; zone: string; startsAt?: string; canCheckIn: boolean }) {
  const office = useBoxOffice(eventId);
  if (office.isPending) return <Spinner label="Loading the box office" />;
  if (office.isError) return <ErrorMessage error={office.error} onRetry={() => void office.refetch()} />;
  return (
    <>
      <section className="card" aria-label="Seats">
        <h2>Seats</h2>
        <Seats office={office.data} />
      </section>
      <section className="card" aria-label="Money">
        <h2>Money <small className="muted">{office.data.money.currency}</small></h2>
        <Money office={office.data} />
      </section>
      <section className="card" aria-label="Check-ins">
        <h2>Check-ins</h2>
        <CheckIns office={office.data} />
        {canCheckIn && <Door eventId={eventId} zone={zone} startsAt={startsAt} />}
      </section>
      {canCheckIn && (
        <section className="card" aria-label="Attendees">
          <h2>Attendees</h2>
          <AttendeeList eventId={eventId} />
        </section>
      )}
      {canCheckIn && (
        <section className="card" aria-label="Messages to buyers">
          <h2>Messages to buyers</h2>
          <Messages eventId={eventId} />
        </section>
      )}
    </>
  );
}
