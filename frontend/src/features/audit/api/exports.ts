import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { downloadFile, saveJson } from '@/lib/download';
import type { Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type PublicKeys = Schemas['PublicKeys'];

/** The command that checks a downloaded file offline against the trusted keys. */
export const verifyCommand = (file: string) => `python tools/verify_export.py ${file} --key keys.json`;

/** The whole log with its signed heads. */
export const downloadLog = () => downloadFile('/audit/export', { fallbackName: 'ledger-log.jsonl' });

/** One event's stream, each event with its inclusion proof, and the heads. */
export const downloadEventProofs = (eventId: string) =>
  downloadFile('/audit/export', { params: { event_id: eventId }, fallbackName: `event-${eventId}-proofs.jsonl` });

/** One event's stream alone (its hash chain). */
export const downloadEventStream = (eventId: string) =>
  downloadFile(`/audit/events/${eventId}/export`, { fallbackName: `event-${eventId}.jsonl` });

export const usePublicKeys = () =>
  useQuery({
    queryKey: auditKeys.publicKeys,
    queryFn: async () => (await api.get<PublicKeys>('/audit/public-key')).data,
    staleTime: 60_000,
  });

/** The trusted public keys as the file `--key keys.json` reads. */
export async function downloadKeys(): Promise<string> {
  const { data } = await api.get<PublicKeys>('/audit/public-key');
  saveJson('keys.json', data);
  return 'keys.json';
}
