import { downloadFile } from '@/lib/download';

/** Save everything the ledger holds about the signed-in user as the API's JSON file. */
export const downloadMyData = (): Promise<string> =>
  downloadFile('/users/me/data', { fallbackName: 'personal-data.json' });
