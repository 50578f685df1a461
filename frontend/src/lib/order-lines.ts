import type { OrderLine } from '@/types/api';

/**
 * What is ordered in lines: a booking, a hold, a booking as a past state holds it. Their single fields say the first
 * line's category and price and all lines' seats; `lines` has each category's (a hold's only while it is active).
 */
export interface Lined {
  lines?: OrderLine[] | null;
  category: string | null;
  quantity: number | null;
  unit_price: string | null;
}

/** An order's lines: its `lines`, or the one line its single fields tell (a hold that ended, an older read). */
export function linesOf(order: Lined): OrderLine[] {
  if (order.lines && order.lines.length > 0) return order.lines;
  if (order.category === null || order.quantity === null) return [];
  return [{ category: order.category, quantity: order.quantity, unit_price: order.unit_price ?? '0' }];
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);

/** What one line costs: its seats at its price. */
export const lineAmount = (line: Pick<OrderLine, 'quantity' | 'unit_price'>): number => (cents(line.unit_price) * line.quantity) / 100;

/** What the lines cost together, counted in cents (no float drift over many lines). */
export const linesTotal = (lines: readonly Pick<OrderLine, 'quantity' | 'unit_price'>[]): number =>
  lines.reduce((sum, line) => sum + cents(line.unit_price) * line.quantity, 0) / 100;

/** The lines in words: "2 × General, 1 × VIP". */
export const linesSummary = (lines: readonly Pick<OrderLine, 'category' | 'quantity'>[]): string =>
  lines.map((line) => `${line.quantity} × ${line.category}`).join(', ');

/** What a booking not yet paid for owes: the price of its tickets not cancelled, each at its line's (a ticket refunded
 * before the payment is owed no more). */
export function amountOwed(order: Lined & { tickets: { status: string; category?: string | null }[] }): string {
  const owed = order.tickets
    .filter((ticket) => ticket.status !== 'cancelled')
    .reduce((sum, ticket) => sum + cents(ticketPrice(order, ticket)), 0);
  return (owed / 100).toFixed(2);
}

/** The price a ticket was booked at: its line's (the line of its category), else the order's first line's. */
export function ticketPrice(order: Lined, ticket: { category?: string | null }): string {
  return linesOf(order).find((line) => line.category === ticket.category)?.unit_price ?? order.unit_price ?? '0';
}

/** What a line's seats cost each before a voucher: its `list_price`, or its price when no voucher applied. */
export const listPrice = (line: Pick<OrderLine, 'unit_price' | 'list_price'>): string => line.list_price ?? line.unit_price;

/** Whether a voucher took something off the line's price (a set price above the list price takes nothing off). */
export const discounted = (line: Pick<OrderLine, 'unit_price' | 'list_price'>): boolean =>
  line.list_price != null && cents(line.list_price) > cents(line.unit_price);

/** What the lines would cost without a voucher, counted in cents. */
export const linesListTotal = (lines: readonly Pick<OrderLine, 'quantity' | 'unit_price' | 'list_price'>[]): number =>
  lines.reduce((sum, line) => sum + cents(listPrice(line)) * line.quantity, 0) / 100;

/** What an order would cost without its voucher: its `list_total` as the API says it, else counted from its lines. */
export const orderListTotal = (lines: readonly OrderLine[], listTotal?: string | null): number =>
  listTotal != null ? Number(listTotal) : linesListTotal(lines);

/** What a voucher took off an order: what it would cost without it less what it costs; 0 when nothing was taken off. */
export function voucherSaving(lines: readonly OrderLine[], total: string | number, listTotal?: string | null): number {
  return Math.max(0, cents(orderListTotal(lines, listTotal)) - cents(total)) / 100;
}
