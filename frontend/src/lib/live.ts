import { useEffect, useState } from 'react';

import type { LiveAvailability } from '@/types/api';

import { apiUrl, positions } from './api-client';

/**
 * Seats left, live, from the API's server-sent events. One EventSource per mounted view;
 * the browser reconnects by itself after a network blip (the server sends `retry:`).
 */
export function useLiveAvailability(eventIds: string[]): Record<string, LiveAvailability> {
  const [views, setViews] = useState<Record<string, LiveAvailability>>({});
  const key = [...eventIds].sort().join(',');

  useEffect(() => {
    if (!key || typeof EventSource === 'undefined') return undefined;
    const ids = key.split(',');
    const min = positions.get() || undefined;
    const url =
      ids.length === 1
        ? apiUrl(`/events/${ids[0]}/availability/stream`, { min_position: min })
        : apiUrl('/events/availability/stream', { ids, min_position: min });
    const source = new EventSource(url);
    const onAvailability = (message: MessageEvent<string>) => {
      const view = JSON.parse(message.data) as LiveAvailability;
      setViews((current) => ({ ...current, [view.event_id]: view }));
    };
    source.addEventListener('availability', onAvailability as EventListener);
    return () => {
      source.removeEventListener('availability', onAvailability as EventListener);
      source.close();
    };
  }, [key]);

  return views;
}
