import type { LedgerEvent } from '@/types/api';

import { currentLanguage } from './i18n';

type Translated = Pick<LedgerEvent, 'name' | 'description'> & { translations?: LedgerEvent['translations'] };

/** An event's name in a language (the UI's by default): the one its organizers gave for it, else the event's own. */
export function eventName(event: Translated, language: string = currentLanguage()): string {
  return event.translations?.[language]?.name || event.name;
}

/** An event's description in a language, as eventName: the one given for it, else the event's own. */
export function eventDescription(event: Translated, language: string = currentLanguage()): string {
  return event.translations?.[language]?.description || event.description;
}
