import type { User } from '@/types/api';

import { i18n } from './i18n';

/** The name the API gives a forgotten person wherever it names people (bookings, attendees, messages, the audit
 * views, the log's payloads): a word in English, said in the reader's language here. */
export const ERASED_NAME = 'erased';

/** The API answers no address for an erased person, and only for them (their name reads "erased"). */
export const isErased = (user: Pick<User, 'email'>): boolean => user.email === null;

/** A person's name as the page shows it: the API's "erased" in the UI's language (privacy:erased), any other as
 * written. A component that shows it calls `useTranslation`, so it is drawn again when the language changes. */
export function personName(name: string): string;
export function personName(name: string | null | undefined): string | null | undefined;
export function personName(name: string | null | undefined): string | null | undefined {
  return name === ERASED_NAME ? i18n.t('privacy:erased') : name;
}
