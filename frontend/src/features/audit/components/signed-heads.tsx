import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { JsonBlock } from '@/components/ui/json-block';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { normaliseError } from '@/lib/api-client';
import { saveJson } from '@/lib/download';
import { dateTime } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import type { HeadCheck } from '@/lib/signed-heads';
import type { Schemas, SignedHead } from '@/types/api';

import { usePublicKeys } from '../api/exports';
import { useConsistency, useHeadCheck, useHeads, useInclusion, useLatestHead } from '../api/heads';
import type { InclusionTarget } from '../api/query-keys';

const TONES = { trusted: 'green', 'trusted-key': 'amber', 'unknown-key': 'red', 'retired-key': 'red', 'bad-signature': 'red' } as const;

/** The verdict's reason in the UI's language (audit:heads.why.<verdict>), from the head and the trusted keys. */
function trustWhy(verdict: HeadCheck['verdict'], head: SignedHead, keys: Schemas['PublicKeys']): string {
  const key = keys.keys.find((k) => k.key_id === head.key_id);
  return i18n.t(`audit:heads.why.${verdict}`, {
    key: head.key_id,
    known: keys.keys.map((k) => k.key_id).join(', ') || i18n.t('audit:heads.noKeys'),
    time: dateTime(head.timestamp),
    retired: dateTime(key?.retired_at),
  });
}

/** Whether a head is signed by a trusted key: a badge, and the reason in words unless `compact`. */
export function HeadTrust({ head, compact = false }: { head: SignedHead; compact?: boolean }) {
  const { t } = useTranslation('audit');
  const keys = usePublicKeys();
  const check = useHeadCheck(head, keys.data);
  if (keys.isError) return <Badge tone="amber">{t('heads.keysUnavailable')}</Badge>;
  if (!check.data || !keys.data) return <span className="muted">{t('heads.checking')}</span>;
  const { verdict } = check.data;
  const message = trustWhy(verdict, head, keys.data);
  return (
    <span className="head-trust" data-testid="head-trust" title={message}>
      <Badge tone={TONES[verdict]}>{t(`heads.trust.${verdict}`)}</Badge>
      {!compact && <small className="muted"> {message}</small>}
    </span>
  );
}

function Latest() {
  const { t } = useTranslation('audit');
  const head = useLatestHead();
  return (
    <section className="card" aria-labelledby="latest-head">
      <h2 id="latest-head">{t('heads.latest')}</h2>
      {head.isPending && <Spinner label={t('heads.loadingLatest')} />}
      {head.isError && (normaliseError(head.error).code === 'CHECKPOINT_NOT_FOUND' ? (
        <Empty title={t('heads.noneYet')}>
          <p className="muted">{t('heads.noneYetHint')}</p>
        </Empty>
      ) : (
        <ErrorMessage error={head.error} title={t('heads.noHead')} onRetry={() => void head.refetch()} />
      ))}
      {head.isSuccess && (
        <>
          <p>
            <Trans t={t} i18nKey="heads.tree" values={{ size: head.data.tree_size, time: dateTime(head.data.timestamp) }} components={{ strong: <strong /> }} />{' '}
            <HeadTrust head={head.data} />
          </p>
          <JsonBlock value={head.data} label={t('heads.latestJson')} />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => saveJson(`head-${head.data.tree_size}.json`, head.data)}>{t('heads.download')}</button>
        </>
      )}
    </section>
  );
}

function HeadList() {
  const { t } = useTranslation('audit');
  const [trail, setTrail] = useState<number[]>([]);
  const after = trail.at(-1) ?? 0;
  const heads = useHeads(after);
  return (
    <section className="card" aria-labelledby="head-list">
      <h2 id="head-list">{t('heads.every')}</h2>
      {heads.isPending && <Spinner label={t('heads.loadingHeads')} />}
      {heads.isError && <ErrorMessage error={heads.error} onRetry={() => void heads.refetch()} />}
      {heads.isSuccess && heads.data.items.length === 0 && <Empty title={t('heads.noneYet')} />}
      {heads.isSuccess && heads.data.items.length > 0 && (
        <TableWrap label={t('heads.table')}>
          <table className="table" aria-label={t('heads.table')}>
            <thead>
              <tr>
                <th scope="col" className="num">{t('heads.treeSize')}</th><th scope="col">{t('heads.signed')}</th><th scope="col">{t('heads.root')}</th>
                <th scope="col">{t('heads.key')}</th><th scope="col">{t('heads.trustCol')}</th>
              </tr>
            </thead>
            <tbody>
              {heads.data.items.map((h) => (
                <tr key={`${h.tree_size}-${h.timestamp}`}>
                  <td className="num">{h.tree_size}</td>
                  <td className="nowrap">{dateTime(h.timestamp)}</td>
                  <td><code title={h.root_hash}>{h.root_hash.slice(0, 16)}…</code></td>
                  <td><code>{h.key_id}</code></td>
                  <td><HeadTrust head={h} compact /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {(trail.length > 0 || heads.data?.next_cursor) && (
        <div className="row">
          <button type="button" className="btn btn--ghost btn--small" disabled={trail.length === 0} onClick={() => setTrail((sizes) => sizes.slice(0, -1))}>{t('heads.earlier')}</button>
          <button type="button" className="btn btn--ghost btn--small" disabled={!heads.data?.next_cursor}
            onClick={() => heads.data?.next_cursor && setTrail((sizes) => [...sizes, heads.data.next_cursor!])}>{t('heads.later')}</button>
        </div>
      )}
    </section>
  );
}

const wholeNumber = (v: string) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? Number(v) : null);

function Consistency() {
  const { t } = useTranslation('audit');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [error, setError] = useState<string>();
  const [ask, setAsk] = useState<{ first: number; second: number | null } | null>(null);
  const proof = useConsistency(ask);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = wholeNumber(first);
    const b = second.trim() ? wholeNumber(second) : null;
    if (!a || (second.trim() && !b)) { setError(t('heads.consistency.sizesInvalid')); return; }
    if (b !== null && b < a) { setError(t('heads.consistency.secondSmaller')); return; }
    setError(undefined);
    setAsk({ first: a, second: b });
  };
  return (
    <section className="card" aria-labelledby="consistency-title">
      <h2 id="consistency-title">{t('heads.consistency.title')}</h2>
      <p className="muted">{t('heads.consistency.about')}</p>
      <form className="form form--inline" onSubmit={submit} noValidate aria-label={t('heads.consistency.form')}>
        <Field label={t('heads.consistency.earlierSize')} inputMode="numeric" value={first} error={error} onChange={(e) => setFirst(e.target.value)} />
        <Field label={t('heads.consistency.laterSize')} inputMode="numeric" value={second} placeholder={t('heads.latestHead')} onChange={(e) => setSecond(e.target.value)} />
        <button type="submit" className="btn">{t('heads.prove')}</button>
      </form>
      {proof.isFetching && !proof.data && <Spinner label={t('heads.proving')} />}
      {proof.isError && <ErrorMessage error={proof.error} title={t('heads.noProof')} />}
      {proof.data && (
        <>
          <p>
            {t('heads.consistency.result', { first: proof.data.first, second: proof.data.second, count: proof.data.proof.length })}{' '}
            {proof.data.first_head && <>{t('heads.consistency.earlierHead')} <HeadTrust head={proof.data.first_head} compact />{' '}</>}
            {proof.data.second_head && <>{t('heads.consistency.laterHead')} <HeadTrust head={proof.data.second_head} compact /></>}
          </p>
          <JsonBlock value={proof.data} label={t('heads.consistency.form')} />
          <button type="button" className="btn btn--ghost btn--small"
            onClick={() => saveJson(`consistency-${proof.data.first}-${proof.data.second}.json`, proof.data)}>{t('heads.downloadProof')}</button>
        </>
      )}
    </section>
  );
}

function Inclusion() {
  const { t } = useTranslation('audit');
  const [params, setParams] = useSearchParams();
  const linked = params.get('booking');
  const [mode, setMode] = useState<'booking' | 'position'>(linked || !params.get('position') ? 'booking' : 'position');
  const [booking, setBooking] = useState(linked ?? '');
  const [position, setPosition] = useState(params.get('position') ?? '');
  const [treeSize, setTreeSize] = useState('');
  const [error, setError] = useState<string>();
  const initial: InclusionTarget | null = linked ? { booking: linked } : wholeNumber(params.get('position') ?? '') ? { position: Number(params.get('position')) } : null;
  const [target, setTarget] = useState<InclusionTarget | null>(initial);
  const proof = useInclusion(target);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'booking') {
      if (!/^[0-9a-f-]{36}$/i.test(booking.trim())) { setError(t('heads.inclusion.bookingInvalid')); return; }
      setError(undefined);
      setTarget({ booking: booking.trim() });
      setParams({ booking: booking.trim() }, { replace: true });
    } else {
      const p = wholeNumber(position);
      const size = treeSize.trim() ? wholeNumber(treeSize) : undefined;
      if (!p || size === null) { setError(t('heads.inclusion.positionsInvalid')); return; }
      setError(undefined);
      setTarget({ position: p, treeSize: size });
      setParams({ position: String(p) }, { replace: true });
    }
  };
  const name = target && 'booking' in target ? `booking-${target.booking}-proof.json` : `position-${target && 'position' in target ? target.position : ''}-proof.json`;
  return (
    <section className="card" aria-labelledby="inclusion-title">
      <h2 id="inclusion-title">{t('heads.inclusion.title')}</h2>
      <p className="muted">{t('heads.inclusion.about')}</p>
      <div className="segmented" role="group" aria-label={t('heads.inclusion.group')}>
        <button type="button" aria-pressed={mode === 'booking'} onClick={() => setMode('booking')}>{t('heads.inclusion.aBooking')}</button>
        <button type="button" aria-pressed={mode === 'position'} onClick={() => setMode('position')}>{t('heads.inclusion.aPosition')}</button>
      </div>
      <form className="form form--inline" onSubmit={submit} noValidate aria-label={t('heads.inclusion.form')}>
        {mode === 'booking' ? (
          <Field label={t('heads.inclusion.bookingId')} className="field--wide" value={booking} error={error} spellCheck={false} onChange={(e) => setBooking(e.target.value)} />
        ) : (
          <>
            <Field label={t('heads.inclusion.position')} inputMode="numeric" value={position} error={error} onChange={(e) => setPosition(e.target.value)} />
            <Field label={t('heads.inclusion.treeSize')} inputMode="numeric" value={treeSize} placeholder={t('heads.latestHead')} onChange={(e) => setTreeSize(e.target.value)} />
          </>
        )}
        <button type="submit" className="btn">{t('heads.prove')}</button>
      </form>
      {proof.isFetching && !proof.data && <Spinner label={t('heads.inclusion.provingWait')} />}
      {proof.isError && <ErrorMessage error={proof.error} title={t('heads.noProof')} />}
      {proof.data && (
        <>
          <p>
            {t('heads.inclusion.result', { leaf: proof.data.leaf_index + 1, size: proof.data.tree_size, count: proof.data.audit_path.length })}{' '}
            <HeadTrust head={proof.data.head} />
          </p>
          <JsonBlock value={proof.data} label={t('heads.inclusion.form')} />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => saveJson(name, proof.data)}>{t('heads.downloadProof')}</button>
        </>
      )}
    </section>
  );
}

/** Signed tree heads: the latest, every one, consistency between two sizes, inclusion proofs. */
export function SignedHeads() {
  return (
    <>
      <Latest />
      <div className="grid-2 grid-2--top">
        <Inclusion />
        <Consistency />
      </div>
      <HeadList />
    </>
  );
}
