import { downloadFile } from '@/lib/download';

/** Save every voucher of the event, with what each sold, as the API's CSV (the codes of a batch to hand out). */
export const downloadVouchers = (eventId: string): Promise<string> =>
  downloadFile(`/events/${eventId}/vouchers.csv`, { fallbackName: `vouchers-${eventId}.csv` });
