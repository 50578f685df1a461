import { downloadFile } from '@/lib/download';

/** Save the event's vouchers, with what each sold, as the API's CSV: every one, or the codes of one batch (`batch`:
 * the position its answer gave) to hand out. */
export const downloadVouchers = (eventId: string, batch?: number | null): Promise<string> =>
  batch == null
    ? downloadFile(`/events/${eventId}/vouchers.csv`, { fallbackName: `vouchers-${eventId}.csv` })
    : downloadFile(`/events/${eventId}/vouchers.csv?batch=${batch}`, { fallbackName: `vouchers-${eventId}-${batch}.csv` });
