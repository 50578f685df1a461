import { Trans, useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { clockTime, dateTime, money, number, viewerZone } from '@/lib/format';

import { useBoxOffice, type BoxOffice as Office } from '../api/box-office';
import { AttendeeList } from './attendee-list';
import { Door } from './door';
import { Messages } from './messages';

function Seats({ office }: { office: Office }) {
  const { t } = useTranslation('boxOffice');
  return (
    <TableWrap label={t('seats.table')}>
      <table className="table" aria-label={t('seats.table')}>
        <thead>
          <tr>
            <th scope="col">{t('seats.category')}</th><th scope="col" className="num">{t('seats.price')}</th><th scope="col" className="num">{t('seats.capacity')}</th>
            <th scope="col" className="num">{t('seats.sold')}</th><th scope="col" className="num">{t('seats.held')}</th>
            <th scope="col" className="num">{t('seats.waiting')}</th><th scope="col" className="num">{t('seats.free')}</th>
          </tr>
        </thead>
        <tbody>
          {office.categories.map((c) => (
            <tr key={c.name} data-testid={`seats-${c.name}`}>
              <th scope="row">{c.name}</th>
              <td className="num">{money(c.price, office.currency)}</td>
              <td className="num">{number(c.capacity)}</td>
              <td className="num" data-testid="sold">{number(c.sold)}</td>
              <td className="num">{number(c.held)}</td>
              <td className="num">{number(c.waitlisted)}</td>
              <td className="num" data-testid="free">{number(c.free)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Money({ office }: { office: Office }) {
  const { t } = useTranslation('boxOffice');
  const m = office.money;
  const figures: [string, string][] = [
    [t('organizer:money.gross'), m.revenue], [t('organizer:money.refunded'), m.refunds], [t('organizer:money.net'), m.net],
    [t('organizer:money.collected'), m.collected], [t('organizer:money.returned'), m.returned], [t('organizer:money.collectedNet'), m.collected_net],
  ];
  return (
    <dl className="figures" aria-label={t('money.in', { currency: m.currency })}>
      {figures.map(([label, amount]) => (
        <div key={label}><dt>{label}</dt><dd>{money(amount, m.currency)}</dd></div>
      ))}
    </dl>
  );
}

function CheckIns({ office }: { office: Office }) {
  const { t } = useTranslation('boxOffice');
  const zone = viewerZone(); // check-ins are the reader's times, as every time but an event's
  const { checked_in: done, tickets, series } = office.check_ins;
  const most = Math.max(1, ...series.map((s) => s.count));
  return (
    <>
      <p data-testid="check-in-count">
        <Trans t={t} i18nKey="checkIns.count" count={tickets} values={{ done: number(done), tickets: number(tickets) }} components={{ strong: <strong /> }} />
      </p>
      {series.length > 0 && (
        <ol className="bars" aria-label={t('checkIns.perQuarter')}>
          {series.map((s) => (
            <li key={s.at} title={`${dateTime(s.at, zone)}: ${s.count}`}>
              <span className="bars__bar" style={{ height: `${(100 * s.count) / most}%` }} />
              <span className="bars__label">{clockTime(s.at, zone)}</span>
              <span className="sr-only">{t('checkIns.bar', { count: s.count })}</span>
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
  const { t } = useTranslation('boxOffice');
  const office = useBoxOffice(eventId);
  if (office.isPending) return <Spinner label={t('loading')} />;
  if (office.isError) return <ErrorMessage error={office.error} onRetry={() => void office.refetch()} />;
  return (
    <>
      <section className="card" aria-label={t('seats.title')}>
        <h2>{t('seats.title')}</h2>
        <Seats office={office.data} />
      </section>
      <section className="card" aria-label={t('organizer:money.title')}>
        <h2>{t('organizer:money.title')} <small className="muted">{office.data.money.currency}</small></h2>
        <Money office={office.data} />
      </section>
      <section className="card" aria-label={t('checkIns.title')}>
        <h2>{t('checkIns.title')}</h2>
        <CheckIns office={office.data} />
        {canCheckIn && <Door eventId={eventId} zone={zone} startsAt={startsAt} />}
      </section>
      {canCheckIn && (
        <section className="card" aria-label={t('attendees.title')}>
          <h2>{t('attendees.title')}</h2>
          <AttendeeList eventId={eventId} />
        </section>
      )}
      {canCheckIn && (
        <section className="card" aria-label={t('messages.title')}>
          <h2>{t('messages.title')}</h2>
          <Messages eventId={eventId} />
        </section>
      )}
    </>
  );
}
