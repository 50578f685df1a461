import { Notice } from '@/components/ui/feedback';
import { plural } from '@/lib/format';

import type { VerifyReport } from '../api/verify-runs';

/** A finished verification's report, check by check. */
export function VerifyChecks({ report: r }: { report: VerifyReport }) {
  const problems = r.events.flatMap((e) => e.problems.map((p) => ({ ...p, event: e.event_id })));
  const snapshots = r.snapshots;
  const proofs = r.proofs;
  return (
    <div className="verify" data-testid="verify-report">
      <Notice tone={r.ok ? 'success' : 'warning'}>
        <strong>{r.ok ? 'Ledger verified: no problem found.' : 'Problems found.'}</strong> {plural(r.checked_events, 'event')} in {plural(r.checked_streams, 'stream')} checked.
      </Notice>
      <ul className="checks">
        <li>{r.chain.ok ? '✓' : '✗'} Hash chains {r.chain.ok ? 'intact' : `broken at ${plural(r.chain.broken.length, 'link')}`}</li>
        <li>{problems.length === 0 ? '✓' : '✗'} Invariants held at every position{problems.length ? ` (${plural(problems.length, 'problem')})` : ''}</li>
        {Object.entries(r.projections).map(([name, p]) => (
          <li key={name}>{p.ok ? '✓' : '✗'} Projection {name} equals the replay up to position {p.position}{p.ok ? '' : ` (${plural(p.difference_count, 'difference')})`}</li>
        ))}
        {snapshots && (
          <li>{snapshots.ok ? '✓' : '✗'} Snapshots equal the replay ({snapshots.checked} checked{snapshots.bad.length ? `, ${snapshots.bad.length} forged or misplaced` : ''}{snapshots.unsealed ? `, ${snapshots.unsealed} unsealed and unused` : ''})</li>
        )}
        {proofs && (
          <li>{proofs.ok ? '✓' : '✗'} Signed heads match the Merkle tree ({plural(proofs.heads_checked, 'head')} over {plural(proofs.leaves, 'leaf', 'leaves')}{proofs.problems.length ? `, ${plural(proofs.problems.length, 'problem')}` : ''})</li>
        )}
      </ul>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p, i) => <li key={i}><code>{p.event.slice(0, 8)}</code> v{p.version} · {p.rule}: {p.message}</li>)}
        </ul>
      )}
      {snapshots && snapshots.bad.length > 0 && (
        <ul className="problems" aria-label="Bad snapshots">
          {snapshots.bad.map((s, i) => <li key={i}><code>{s.event_id.slice(0, 8)}</code> snapshot v{s.version}: {s.problem}</li>)}
        </ul>
      )}
    </div>
  );
}
