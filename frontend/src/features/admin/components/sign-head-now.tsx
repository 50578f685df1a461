import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { dateTime } from '@/lib/format';

import { useSignHead } from '../api/operations';

/** An admin has the signer sign a head over the tree as it stands now. */
export function SignHeadNow() {
  const sign = useSignHead();
  return (
    <div>
      <p className="muted">The signer signs a head on its own schedule; this asks for one now, covering every event recorded so far.</p>
      <button type="button" className="btn" disabled={sign.isPending} onClick={() => sign.mutate()}>
        {sign.isPending ? 'Signing…' : 'Sign a head now'}
      </button>
      {sign.data && (
        <Notice tone="success">
          Signed: a tree of <strong>{sign.data.tree_size}</strong> events at {dateTime(sign.data.timestamp)}, key <code>{sign.data.key_id}</code>.
        </Notice>
      )}
      {sign.error && <ErrorMessage error={sign.error} title="No head signed" />}
    </div>
  );
}
