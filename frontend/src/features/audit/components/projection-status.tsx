import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';

import { useProjections } from '../api/projections';

export function ProjectionStatusTable() {
  const projections = useProjections();
  if (projections.isPending) return <Spinner label="Reading projections" />;
  if (projections.isError) return <ErrorMessage error={projections.error} onRetry={() => void projections.refetch()} />;
  return (
    <TableWrap label="Projections">
      <table className="table" aria-label="Projections">
        <thead>
          <tr><th scope="col">Projection</th><th scope="col" className="num">Position</th><th scope="col" className="num">Head</th>
            <th scope="col" className="num">Lag (events)</th><th scope="col" className="num">Lag (s)</th><th scope="col">State</th></tr>
        </thead>
        <tbody>
          {projections.data.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td className="num">{p.position}</td>
              <td className="num">{p.head}</td>
              <td className="num">{p.lag_events}</td>
              <td className="num">{p.lag_seconds.toFixed(1)}</td>
              <td>
                {p.last_error ? <Badge tone="red">error</Badge> : p.lag_events === 0 ? <Badge tone="green">up to date</Badge> : <Badge tone="amber">catching up</Badge>}
                {p.rebuild.state !== 'idle' && <> <Badge tone="blue">{`rebuild ${p.rebuild.state} ${p.rebuild.done}/${p.rebuild.total}`}</Badge></>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
