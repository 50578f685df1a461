import i18n, { type Resource } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';

/** The languages the UI speaks, each named in itself (as the switcher offers them). English is the source. */
export const LANGUAGES = { en: 'English', de: 'Deutsch', pl: 'Polski' } as const;
export type Language = keyof typeof LANGUAGES;
export const SOURCE_LANGUAGE: Language = 'en';

/** Where the buyer's own choice is kept in this browser (the detector reads it before the browser's languages). */
export const LANGUAGE_KEY = 'ledger.language';

// Every catalogue under locales/{language}/{namespace}.json, bundled: a new namespace or language is a new file.
const files = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json', { eager: true });

/** The catalogues by language and namespace, as i18next takes them. */
export const catalogues: Resource = {};
for (const [path, module] of Object.entries(files)) {
  const [, language, namespace] = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
  if (!language || !namespace) continue;
  (catalogues[language] ??= {})[namespace] = module.default;
}
export const NAMESPACES = Object.keys(catalogues[SOURCE_LANGUAGE] ?? {});

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

/** The language the UI speaks now, for `Intl` as for the catalogues. */
export function currentLanguage(): Language {
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(lng) ? lng : SOURCE_LANGUAGE;
}

/** The locale dates, times, numbers and prices are written in: the browser's own region where it speaks the UI's
 * language ("en-GB" writes "20 Dec", "de-AT" "Jänner"), else the language alone ("de" for an English browser whose
 * reader chose German). */
export function formattingLocale(): string {
  const language = currentLanguage();
  const browser = typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language];
  return browser.find((tag) => tag && tag.split('-')[0].toLowerCase() === language) ?? language;
}

// <html lang> follows the language, so screen readers pronounce the page in it and the browser hyphenates it.
i18n.on('languageChanged', () => {
  if (typeof document !== 'undefined') document.documentElement.lang = currentLanguage();
});

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: catalogues,
    ns: NAMESPACES,
    defaultNS: 'common',
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: Object.keys(LANGUAGES),
    // "de-AT" and "pl-PL" are German and Polish: the catalogues are per language, not per region.
    load: 'languageOnly',
    // The catalogues are bundled: the first render already speaks the language, with no flash of English.
    initAsync: false,
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    detection: {
      // The buyer's choice in this browser first, then the browser's languages in its order; English otherwise.
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: (lng: string) => lng.split('-')[0].toLowerCase(),
    },
  });

export { i18n };
