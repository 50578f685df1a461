import { useTranslation } from 'react-i18next';

import { Notice } from '@/components/ui/feedback';

import type { VerifyReport } from '../api/verify-runs';

/** A finished verification's report, check by check. */
export function VerifyChecks({ report: r }: { report: VerifyReport }) {
  const { t } = useTranslation('audit');
  const problems = r.events.flatMap((e) => e.problems.map((p) => ({ ...p, event: e.event_id })));
  const snapshots = r.snapshots;
  const proofs = r.proofs;
  return (
    <div className="verify" data-testid="verify-report">
      <Notice tone={r.ok ? 'success' : 'warning'}>
        <strong>{r.ok ? t('verify.ok') : t('verify.problems')}</strong>{' '}
        {t('verify.checked', { events: t('verify.events', { count: r.checked_events }), streams: t('verify.streams', { count: r.checked_streams }) })}
      </Notice>
      <ul className="checks">
        <li>{r.chain.ok ? '✓' : '✗'} {r.chain.ok ? t('verify.chainIntact') : t('verify.chainBroken', { links: t('verify.links', { count: r.chain.broken.length }) })}</li>
        <li>
          {problems.length === 0 ? '✓' : '✗'}{' '}
          {problems.length ? t('verify.invariantsNot', { problems: t('verify.problemCount', { count: problems.length }) }) : t('verify.invariants')}
        </li>
        {Object.entries(r.projections).map(([name, p]) => (
          <li key={name}>
            {p.ok ? '✓' : '✗'}{' '}
            {p.ok ? t('verify.projection', { name, position: p.position })
              : t('verify.projectionNot', { name, position: p.position, differences: t('verify.differences', { count: p.difference_count }) })}
          </li>
        ))}
        {snapshots && (
          <li>
            {snapshots.ok ? '✓' : '✗'}{' '}
            {t('verify.snapshots', { details: [
              t('verify.snapshotsChecked', { count: snapshots.checked }),
              ...(snapshots.bad.length ? [t('verify.snapshotsBad', { count: snapshots.bad.length })] : []),
              ...(snapshots.unsealed ? [t('verify.snapshotsUnsealed', { count: snapshots.unsealed })] : []),
            ].join(', ') })}
          </li>
        )}
        {proofs && (
          <li>
            {proofs.ok ? '✓' : '✗'}{' '}
            {t('verify.proofs', { details: [
              t('verify.headsOver', { heads: t('verify.heads', { count: proofs.heads_checked }), leaves: t('verify.leaves', { count: proofs.leaves }) }),
              ...(proofs.problems.length ? [t('verify.problemCount', { count: proofs.problems.length })] : []),
            ].join(', ') })}
          </li>
        )}
      </ul>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p, i) => <li key={i}><code>{p.event.slice(0, 8)}</code> v{p.version} · {p.rule}: {p.message}</li>)}
        </ul>
      )}
      {snapshots && snapshots.bad.length > 0 && (
        <ul className="problems" aria-label={t('verify.badSnapshots')}>
          {snapshots.bad.map((s, i) => <li key={i}><code>{s.event_id.slice(0, 8)}</code> {t('verify.snapshot', { version: s.version, problem: s.problem })}</li>)}
        </ul>
      )}
    </div>
  );
}
