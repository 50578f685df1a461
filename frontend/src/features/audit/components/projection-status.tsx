import { useTranslation } from 'react-i18next';

import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { formattingLocale } from '@/lib/i18n';

import { useProjections } from '../api/projections';

/** Seconds with one decimal, as the UI's language writes it ("1.5", "1,5"). */
const oneDecimal = (value: number) =>
  new Intl.NumberFormat(formattingLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);

export function ProjectionStatusTable() {
  const { t } = useTranslation('audit');
  const projections = useProjections();
  if (projections.isPending) return <Spinner label={t('projections.loading')} />;
  if (projections.isError) return <ErrorMessage error={projections.error} onRetry={() => void projections.refetch()} />;
  return (
    <TableWrap label={t('projections.table')}>
      <table className="table" aria-label={t('projections.table')}>
        <thead>
          <tr><th scope="col">{t('projections.projection')}</th><th scope="col" className="num">{t('projections.position')}</th><th scope="col" className="num">{t('projections.head')}</th>
            <th scope="col" className="num">{t('projections.lagEvents')}</th><th scope="col" className="num">{t('projections.lagSeconds')}</th><th scope="col">{t('projections.state')}</th></tr>
        </thead>
        <tbody>
          {projections.data.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td className="num">{p.position}</td>
              <td className="num">{p.head}</td>
              <td className="num">{p.lag_events}</td>
              <td className="num">{oneDecimal(p.lag_seconds)}</td>
              <td>
                {p.last_error ? <Badge tone="red">{t('projections.error')}</Badge> : p.lag_events === 0 ? <Badge tone="green">{t('projections.upToDate')}</Badge> : <Badge tone="amber">{t('projections.catchingUp')}</Badge>}
                {p.rebuild.state !== 'idle' && <> <Badge tone="blue">{t('projections.rebuild', { state: p.rebuild.state, done: p.rebuild.done, total: p.rebuild.total })}</Badge></>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
