import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

import { api } from '@/lib/api-client';
import type { QueryOf, Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type LogEntry = Schemas['LogEventOut'];
export type LogPage = Schemas['LogPage'];
/** The log's filters, named as its query parameters; the page's own (`after`, `limit`) are set apart. */
export type LogFilters = Omit<QueryOf<'get_audit_log'>, 'after' | 'limit'>;

export const LOG_PAGE = 50;
export const FOLLOW_EVERY_MS = 2_000;
export const EMPTY_PAGE_RECHECK_MS = 5_000;

/** The stream an entry belongs to (an event's, or a booking's). */
export const streamOf = (e: LogEntry): string => e.stream ?? e.aggregate_id ?? '';

/** The position the next page starts after. */
export const nextAfter = (page: LogPage, after: number): number =>
  page.next_after ?? page.next_cursor ?? (page.items.at(-1)?.position ?? after);

const clean = (filters: LogFilters) => Object.fromEntries(Object.entries(filters).filter(([, v]) => v));

export async function getLogPage(filters: LogFilters, after: number, limit = LOG_PAGE): Promise<LogPage> {
  const { data } = await api.get<LogPage>('/audit/log', { params: { after, limit, ...clean(filters) } });
  return data;
}

/**
 * One page of the global log after a position. An empty page is asked again now and then: the
 * server reads no further than what can no longer change (a busy store may hold that back a
 * moment), so entries may come where none were.
 */
export const useLogPage = (filters: LogFilters, after: number, enabled = true) =>
  useQuery({
    queryKey: auditKeys.log(filters, after),
    queryFn: () => getLogPage(filters, after),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.length === 0 ? EMPTY_PAGE_RECHECK_MS : false),
    enabled,
  });

/**
 * While `on`, ask every 2 s for the entries after the last one seen (starting after `from`):
 * the new entries, oldest first, and the last error (kept until the next answer).
 */
export function useFollowLog(filters: LogFilters, from: number, on: boolean) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const last = useRef(from);
  const key = JSON.stringify(filters);

  useEffect(() => {
    setEntries([]);
    setError(null);
    last.current = from;
  }, [key, from, on]);

  useEffect(() => {
    if (!on) return undefined;
    let alive = true;
    let busy = false;
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const page = await getLogPage(JSON.parse(key) as LogFilters, last.current, 200);
        if (!alive) return;
        setError(null);
        if (page.items.length > 0) {
          last.current = page.items.at(-1)!.position;
          setEntries((seen) => [...seen, ...page.items]);
        }
      } catch (e) {
        if (alive) setError(e);
      } finally {
        busy = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), FOLLOW_EVERY_MS);
    return () => { alive = false; clearInterval(timer); };
  }, [key, on]);

  return { entries, error };
}
