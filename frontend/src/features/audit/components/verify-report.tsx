import { Notice } from '@/components/ui/feedback';

import type { VerifyReport } from '../api/verify-runs';

/** A finished verification's report, check by check. */
export function VerifyChecks({ report: r }: { report: VerifyReport }) {
  const problems = r.events.flatMap((e) => e.problems.map((p) => ({ ...p, event: e.event_id })));
  const snapshots = r.snapshots;
  const proofs = r.proofs;
  return (
    <div className="verify" data-testid="verify-report">
      <Notice tone={r.ok ? 'success' : 'warning'}>
        <strong>{r.ok ? 'Ledger verified: no problem found.' : 'Problems found.'}</strong> {r.checked_events} events in {r.checked_streams} streams checked.
      </Notice>
      <ul className="checks">
        <li>{r.chain.ok ? '✓' : '✗'} Hash chains {r.chain.ok ? 'intact' : `broken at ${r.chain.broken.length} link(s)`}</li>
        <li>{problems.length === 0 ? '✓' : '✗'} Invariants held at every position{problems.length ? ` (${problems.length} problem(s))` : ''}</li>
        {Object.entries(r.projections).map(([name, p]) => (
          <li key={name}>{p.ok ? '✓' : '✗'} Projection {name} equals the replay up to position {p.position}{p.ok ? '' : ` (${p.difference_count} difference(s))`}</li>
        ))}
        {snapshots && (
          <li>{snapshots.ok ? '✓' : '✗'} Snapshots equal the replay ({snapshots.checked} checked{snapshots.bad.length ? `, ${snapshots.bad.length} forged or misplaced` : ''}{snapshots.unsealed ? `, ${snapshots.unsealed} unsealed and unused` : ''})</li>
        )}
        {proofs && (
          <li>{proofs.ok ? '✓' : '✗'} Signed heads match the Merkle tree ({proofs.heads_checked} heads over {proofs.leaves} leaves{proofs.problems.length ? `, ${proofs.problems.length} problem(s)` : ''})</li>
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
