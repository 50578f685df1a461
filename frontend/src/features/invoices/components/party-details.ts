import { fieldsNamed } from '@/lib/field-errors';
import { i18n } from '@/lib/i18n';

import type { BuyerIn } from '../api/request-invoice';
import type { Seller, SellerIn } from '../api/seller';

// The API's bounds (query_api/schemas/invoices.py, commands/domain/invoices.py).
export const NAME_LENGTH = 200;
export const ADDRESS_LENGTH = 500;
export const EMAIL_LENGTH = 320;
export const VAT_ID_LENGTH = 40;
export const PREFIX_LENGTH = 16;
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9/_.-]*$/;
const COUNTRY = /^[A-Z]{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The buyer an invoice is made out to, as the form holds them: text until toBuyerIn() makes the API's body. */
export interface BuyerValues { name: string; company: string; address: string; country: string; vatId: string }

/** The seller every invoice of an organizer names, as their form holds it. */
export interface SellerValues { name: string; address: string; country: string; vatId: string; email: string; prefix: string }

export const newBuyer = (name = '', country = ''): BuyerValues => ({ name, company: '', address: '', country, vatId: '' });

export const sellerValues = (seller: Seller | null | undefined, country = ''): SellerValues => ({
  name: seller?.name ?? '', address: seller?.address ?? '', country: seller?.country ?? country,
  vatId: seller?.vat_id ?? '', email: seller?.email ?? '', prefix: seller?.prefix ?? '',
});

function required(errors: Record<string, string>, key: string, value: string, most: number, what: string) {
  const text = value.trim();
  if (!text) errors[key] = i18n.t(`checkout:invoice.enter.${what}`);
  else if (text.length > most) errors[key] = i18n.t('checkout:invoice.atMost', { count: most });
}

function common(v: BuyerValues | SellerValues, errors: Record<string, string>) {
  required(errors, 'address', v.address, ADDRESS_LENGTH, 'address');
  if (!COUNTRY.test(v.country)) errors.country = i18n.t('checkout:invoice.chooseCountry');
  if (v.vatId.trim().length > VAT_ID_LENGTH) errors.vatId = i18n.t('checkout:invoice.atMost', { count: VAT_ID_LENGTH });
}

/** What the API would refuse of a buyer's details before they are sent (its VAT ID's check is the API's). */
export function validateBuyer(v: BuyerValues): Record<string, string> {
  const errors: Record<string, string> = {};
  required(errors, 'name', v.name, NAME_LENGTH, 'yourName');
  if (v.company.trim().length > NAME_LENGTH) errors.company = i18n.t('checkout:invoice.atMost', { count: NAME_LENGTH });
  common(v, errors);
  return errors;
}

/** What the API would refuse of a seller's details before they are sent (its VAT ID's check is the API's). */
export function validateSeller(v: SellerValues): Record<string, string> {
  const errors: Record<string, string> = {};
  required(errors, 'name', v.name, NAME_LENGTH, 'sellerName');
  common(v, errors);
  const email = v.email.trim();
  if (email && (email.length > EMAIL_LENGTH || !EMAIL.test(email))) errors.email = i18n.t('invoicing:seller.errors.email');
  const prefix = v.prefix.trim();
  if (!prefix || prefix.length > PREFIX_LENGTH || !PREFIX.test(prefix)) {
    errors.prefix = i18n.t('invoicing:seller.errors.prefix', { most: PREFIX_LENGTH });
  }
  return errors;
}

const optional = (text: string) => text.trim() || null;
/** An address as it is printed: its lines trimmed, blank ones left out. */
const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean).join('\n');

export const toBuyerIn = (v: BuyerValues): BuyerIn => ({
  name: v.name.trim(), company: optional(v.company), address: lines(v.address), country: v.country, vat_id: optional(v.vatId),
});

export const toSellerIn = (v: SellerValues): SellerIn => ({
  name: v.name.trim(), address: lines(v.address), country: v.country, vat_id: optional(v.vatId),
  email: optional(v.email), prefix: v.prefix.trim().toUpperCase(),
});

/** The form's key for a field the API refused (`vat_id` is the form's `vatId`). */
export const buyerFormKey = fieldsNamed(['name', 'company', 'address', 'country'], { vat_id: 'vatId' });
export const sellerFormKey = fieldsNamed(['name', 'address', 'country', 'email', 'prefix'], { vat_id: 'vatId' });

/** An invoice's number: the seller's prefix, then its place in their book on five digits ("JN-00001"). */
export const invoiceNumber = (prefix: string, seq: number): string => `${prefix}${String(seq).padStart(5, '0')}`;
