import { Badge, ErrorMessage } from '@/components/ui/feedback';
import type { LedgerEvent } from '@/types/api';

import { usePublishEvent } from '../api/publish-event';

/** The "Draft" badge of an event not on sale yet. */
export function DraftBadge({ event }: { event: Pick<LedgerEvent, 'published'> }) {
  return event.published ? null : <Badge tone="warning">Draft</Badge>;
}

/** A draft's "Publish" button, for those who run it: it goes on sale, listed for everyone. */
export function PublishDraft({ event }: { event: LedgerEvent }) {
  const publish = usePublishEvent();
  return (
    <div className="publish-draft" data-testid="publish-draft">
      <p className="muted">A draft: only its organizers and admins see it, and nothing is on sale until it is published.</p>
      <button type="button" className="btn" disabled={publish.isPending} onClick={() => publish.mutate(event.id)}>
        {publish.isPending ? 'Publishing…' : 'Publish'}
      </button>
      {publish.error ? <ErrorMessage error={publish.error} title="Not published" /> : null}
    </div>
  );
}
