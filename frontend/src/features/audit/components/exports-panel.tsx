import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';

import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { CommandLine } from '@/components/ui/command-line';
import { Spinner } from '@/components/ui/spinner';
import { dateTime } from '@/lib/format';
import type { LedgerEvent } from '@/types/api';

import {
  downloadEventProofs, downloadEventStream, downloadKeys, downloadLog, usePublicKeys, verifyCommand,
} from '../api/exports';
import { EventPicker } from './event-picker';

/** A download button, the file it saved (or why not), and the command that checks that file. */
export function Download({ label, file, download }: { label: string; file: string; download: () => Promise<string> }) {
  const run = useMutation({ mutationFn: download });
  const name = run.data ?? file;
  return (
    <div className="download">
      <button type="button" className="btn" disabled={run.isPending} onClick={() => run.mutate()}>
        {run.isPending ? 'Downloading…' : label}
      </button>
      <CommandLine command={verifyCommand(name)} label={`Check ${name}`} />
      {run.data && <small className="muted" role="status">Saved {run.data}</small>}
      {run.error && <ErrorMessage error={run.error} title="Not downloaded" />}
    </div>
  );
}

function Keys() {
  const keys = usePublicKeys();
  const save = useMutation({ mutationFn: downloadKeys });
  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">Trusted keys</h2>
      <p className="muted">Every check below needs them: the public keys heads are signed with, and when each was retired.</p>
      <div className="row">
        <button type="button" className="btn" disabled={save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? 'Downloading…' : 'Download keys.json'}
        </button>
        {save.data && <small className="muted" role="status">Saved keys.json</small>}
      </div>
      {save.error && <ErrorMessage error={save.error} title="Not downloaded" />}
      {keys.isPending && <Spinner label="Reading the keys" />}
      {keys.isError && <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.isSuccess && (
        keys.data.keys.length === 0 ? <p className="muted">No signing key is configured: heads cannot be checked.</p> : (
          <ul className="plain-list" aria-label="Keys">
            {keys.data.keys.map((k) => (
              <li key={k.key_id}>
                <code>{k.key_id}</code> {k.algorithm ?? 'Ed25519'}{' '}
                {k.key_id === keys.data.key_id && <Badge tone="green">signing now</Badge>}
                {k.retired_at && <Badge tone="amber">{`retired ${dateTime(k.retired_at)}`}</Badge>}
                {k.first_used_at && <small className="muted"> · first head {dateTime(k.first_used_at)}</small>}
              </li>
            ))}
          </ul>
        )
      )}
    </section>
  );
}

/** Downloads to check offline: the whole log with its signed heads, one event's stream, the keys. */
export function ExportsPanel() {
  const [event, setEvent] = useState<LedgerEvent | null>(null);
  return (
    <>
      <Keys />
      <section className="card" aria-labelledby="log-export-title">
        <h2 id="log-export-title">The whole log</h2>
        <p className="muted">Every stored event in global order, then the signed heads: the checker rebuilds the Merkle tree and checks each head's signature.</p>
        <Download label="Download the log with its heads" file="ledger-log.jsonl" download={downloadLog} />
      </section>
      <section className="card" aria-labelledby="event-export-title">
        <h2 id="event-export-title">One event</h2>
        <div className="audit">
          <div><EventPicker current={event?.id} onPick={setEvent} label="Choose an event" /></div>
          <div>
            {event ? (
              <>
                <h3>{event.name}</h3>
                <p className="muted">Its stream, each event with its inclusion proof in a signed head:</p>
                <Download key={`p-${event.id}`} label="Download its stream with proofs" file={`event-${event.id}-proofs.jsonl`}
                  download={() => downloadEventProofs(event.id)} />
                <p className="muted">Its stream alone (hash chain only):</p>
                <Download key={`s-${event.id}`} label="Download its stream" file={`event-${event.id}.jsonl`}
                  download={() => downloadEventStream(event.id)} />
              </>
            ) : <p className="muted">Choose an event to download its stream.</p>}
          </div>
        </div>
      </section>
    </>
  );
}
