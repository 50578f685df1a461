import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { JsonBlock } from '@/components/ui/json-block';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { normaliseError } from '@/lib/api-client';
import { saveJson } from '@/lib/download';
import { dateTime, plural } from '@/lib/format';
import type { SignedHead } from '@/types/api';

import { usePublicKeys } from '../api/exports';
import { useConsistency, useHeadCheck, useHeads, useInclusion, useLatestHead } from '../api/heads';
import type { InclusionTarget } from '../api/query-keys';

const TONES = { trusted: 'green', 'trusted-key': 'amber', 'unknown-key': 'red', 'retired-key': 'red', 'bad-signature': 'red' } as const;
const LABELS = { trusted: 'trusted signature', 'trusted-key': 'trusted key', 'unknown-key': 'unknown key', 'retired-key': 'retired key', 'bad-signature': 'bad signature' } as const;

/** Whether a head is signed by a trusted key: a badge, and the reason in words unless `compact`. */
export function HeadTrust({ head, compact = false }: { head: SignedHead; compact?: boolean }) {
  const keys = usePublicKeys();
  const check = useHeadCheck(head, keys.data);
  if (keys.isError) return <Badge tone="amber">keys unavailable</Badge>;
  if (!check.data) return <span className="muted">checking…</span>;
  const { verdict, message } = check.data;
  return (
    <span className="head-trust" data-testid="head-trust" title={message}>
      <Badge tone={TONES[verdict]}>{LABELS[verdict]}</Badge>
      {!compact && <small className="muted"> {message}</small>}
    </span>
  );
}

function Latest() {
  const head = useLatestHead();
  return (
    <section className="card" aria-labelledby="latest-head">
      <h2 id="latest-head">Latest signed head</h2>
      {head.isPending && <Spinner label="Reading the latest head" />}
      {head.isError && (normaliseError(head.error).code === 'CHECKPOINT_NOT_FOUND' ? (
        <Empty title="No head signed yet">
          <p className="muted">The signer signs one within a minute of new events; an admin may ask for one now.</p>
        </Empty>
      ) : (
        <ErrorMessage error={head.error} title="No signed head to show" onRetry={() => void head.refetch()} />
      ))}
      {head.isSuccess && (
        <>
          <p>Tree of <strong>{head.data.tree_size}</strong> events, signed {dateTime(head.data.timestamp)}. <HeadTrust head={head.data} /></p>
          <JsonBlock value={head.data} label="The latest signed head" />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => saveJson(`head-${head.data.tree_size}.json`, head.data)}>Download head</button>
        </>
      )}
    </section>
  );
}

function HeadList() {
  const [trail, setTrail] = useState<number[]>([]);
  const after = trail.at(-1) ?? 0;
  const heads = useHeads(after);
  return (
    <section className="card" aria-labelledby="head-list">
      <h2 id="head-list">Every signed head</h2>
      {heads.isPending && <Spinner label="Reading the heads" />}
      {heads.isError && <ErrorMessage error={heads.error} onRetry={() => void heads.refetch()} />}
      {heads.isSuccess && heads.data.items.length === 0 && <Empty title="No head signed yet" />}
      {heads.isSuccess && heads.data.items.length > 0 && (
        <TableWrap label="Signed heads">
          <table className="table" aria-label="Signed heads">
            <thead><tr><th scope="col" className="num">Tree size</th><th scope="col">Signed</th><th scope="col">Root hash</th><th scope="col">Key</th><th scope="col">Trust</th></tr></thead>
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
          <button type="button" className="btn btn--ghost btn--small" disabled={trail.length === 0} onClick={() => setTrail((t) => t.slice(0, -1))}>◀ Earlier</button>
          <button type="button" className="btn btn--ghost btn--small" disabled={!heads.data?.next_cursor}
            onClick={() => heads.data?.next_cursor && setTrail((t) => [...t, heads.data.next_cursor!])}>Later ▶</button>
        </div>
      )}
    </section>
  );
}

const wholeNumber = (v: string) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? Number(v) : null);

function Consistency() {
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [error, setError] = useState<string>();
  const [ask, setAsk] = useState<{ first: number; second: number | null } | null>(null);
  const proof = useConsistency(ask);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = wholeNumber(first);
    const b = second.trim() ? wholeNumber(second) : null;
    if (!a || (second.trim() && !b)) { setError('Tree sizes are whole numbers of at least 1.'); return; }
    if (b !== null && b < a) { setError('The second size is the later, larger one.'); return; }
    setError(undefined);
    setAsk({ first: a, second: b });
  };
  return (
    <section className="card" aria-labelledby="consistency-title">
      <h2 id="consistency-title">Consistency between two sizes</h2>
      <p className="muted">The proof that the later tree only grew from the earlier one: nothing recorded before was rewritten.</p>
      <form className="form form--inline" onSubmit={submit} noValidate aria-label="Consistency proof">
        <Field label="Earlier size" inputMode="numeric" value={first} error={error} onChange={(e) => setFirst(e.target.value)} />
        <Field label="Later size" inputMode="numeric" value={second} placeholder="Latest head" onChange={(e) => setSecond(e.target.value)} />
        <button type="submit" className="btn">Prove</button>
      </form>
      {proof.isFetching && !proof.data && <Spinner label="Proving" />}
      {proof.isError && <ErrorMessage error={proof.error} title="No proof" />}
      {proof.data && (
        <>
          <p>
            From {proof.data.first} to {proof.data.second} events: {plural(proof.data.proof.length, 'hash', 'hashes')}.{' '}
            {proof.data.first_head && <>Earlier head <HeadTrust head={proof.data.first_head} compact />{' '}</>}
            {proof.data.second_head && <>Later head <HeadTrust head={proof.data.second_head} compact /></>}
          </p>
          <JsonBlock value={proof.data} label="Consistency proof" />
          <button type="button" className="btn btn--ghost btn--small"
            onClick={() => saveJson(`consistency-${proof.data.first}-${proof.data.second}.json`, proof.data)}>Download proof</button>
        </>
      )}
    </section>
  );
}

function Inclusion() {
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
      if (!/^[0-9a-f-]{36}$/i.test(booking.trim())) { setError('A booking id (a UUID).'); return; }
      setError(undefined);
      setTarget({ booking: booking.trim() });
      setParams({ booking: booking.trim() }, { replace: true });
    } else {
      const p = wholeNumber(position);
      const size = treeSize.trim() ? wholeNumber(treeSize) : undefined;
      if (!p || size === null) { setError('Positions and sizes are whole numbers of at least 1.'); return; }
      setError(undefined);
      setTarget({ position: p, treeSize: size });
      setParams({ position: String(p) }, { replace: true });
    }
  };
  const name = target && 'booking' in target ? `booking-${target.booking}-proof.json` : `position-${target && 'position' in target ? target.position : ''}-proof.json`;
  return (
    <section className="card" aria-labelledby="inclusion-title">
      <h2 id="inclusion-title">Inclusion proof</h2>
      <p className="muted">The proof that a booking's event, or the event at a position, is a leaf of a signed head.</p>
      <div className="segmented" role="group" aria-label="Prove">
        <button type="button" aria-pressed={mode === 'booking'} onClick={() => setMode('booking')}>A booking</button>
        <button type="button" aria-pressed={mode === 'position'} onClick={() => setMode('position')}>A position</button>
      </div>
      <form className="form form--inline" onSubmit={submit} noValidate aria-label="Inclusion proof">
        {mode === 'booking' ? (
          <Field label="Booking id" className="field--wide" value={booking} error={error} spellCheck={false} onChange={(e) => setBooking(e.target.value)} />
        ) : (
          <>
            <Field label="Position" inputMode="numeric" value={position} error={error} onChange={(e) => setPosition(e.target.value)} />
            <Field label="Tree size" inputMode="numeric" value={treeSize} placeholder="Latest head" onChange={(e) => setTreeSize(e.target.value)} />
          </>
        )}
        <button type="submit" className="btn">Prove</button>
      </form>
      {proof.isFetching && !proof.data && <Spinner label="Proving (waits for a head that covers it)" />}
      {proof.isError && <ErrorMessage error={proof.error} title="No proof" />}
      {proof.data && (
        <>
          <p>
            Event {proof.data.leaf_index + 1} of {proof.data.tree_size}, {proof.data.audit_path.length} hashes to the root.{' '}
            <HeadTrust head={proof.data.head} />
          </p>
          <JsonBlock value={proof.data} label="Inclusion proof" />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => saveJson(name, proof.data)}>Download proof</button>
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
