import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { Field, TextAreaField } from '@/components/ui/field';
import { currentLanguage, LANGUAGES, SOURCE_LANGUAGE, type Language } from '@/lib/i18n';
import type { LedgerEvent, Schemas } from '@/types/api';

/** The languages the form offers a name and description in: the UI's, but its source (an event's own name is the
 * one every other language falls back to). */
export const TRANSLATED = (Object.keys(LANGUAGES) as Language[]).filter((l) => l !== SOURCE_LANGUAGE);

/** Each language's name and description as the inputs hold them ('' where none is given). */
export type TranslationRows = Record<string, { name: string; description: string }>;

/** The event's translations as rows: one for each language offered, and any other the event has (kept). */
export function translationRows(event?: LedgerEvent): TranslationRows {
  const rows: TranslationRows = {};
  for (const language of TRANSLATED) rows[language] = { name: '', description: '' };
  for (const [language, given] of Object.entries(event?.translations ?? {})) {
    rows[language] = { name: given.name ?? '', description: given.description ?? '' };
  }
  return rows;
}

/** The API's `translations`: each language with a name or a description given, only what was given. */
export function toTranslationsInput(rows: TranslationRows): Record<string, Schemas['EventTranslationIn']> {
  const given: Record<string, Schemas['EventTranslationIn']> = {};
  for (const [language, row] of Object.entries(rows)) {
    const name = row.name.trim();
    const description = row.description.trim();
    if (!name && !description) continue;
    given[language] = { ...(name && { name }), ...(description && { description }) };
  }
  return given;
}

/** A language's name in the UI's language, capitalised ("German", "Deutsch", "Niemiecki"); its own name where the
 * browser cannot say. */
function languageName(language: string): string {
  try {
    const name = new Intl.DisplayNames([currentLanguage()], { type: 'language' }).of(language) ?? language;
    return name.charAt(0).toLocaleUpperCase(currentLanguage()) + name.slice(1);
  } catch {
    return LANGUAGES[language as Language] ?? language;
  }
}

interface Props {
  rows: TranslationRows;
  /** The form's errors; a translation's are keyed `translations.<language>.name`. */
  errors: Record<string, string>;
  /** The rows changed; `edited`: the key of the field edited (its error goes). */
  onChange: (rows: TranslationRows, edited: string) => void;
}

/**
 * The event's name and description in the other languages buyers may read the site in, folded away until asked for
 * (open from the start where one is given, or a field of it has an error). Each language a fieldset of its own, its
 * inputs marked with their language for spelling and screen readers.
 */
export function EventTranslations({ rows, errors, onChange }: Props) {
  const { t } = useTranslation('organizer');
  const id = useId();
  const given = Object.values(rows).some((r) => r.name.trim() || r.description.trim());
  const failed = Object.keys(errors).some((k) => k.startsWith('translations.'));
  const change = (language: string, field: 'name' | 'description', value: string) =>
    onChange({ ...rows, [language]: { ...rows[language], [field]: value } }, `translations.${language}.${field}`);

  return (
    <details className="event-translations" open={given || failed || undefined}>
      <summary>{t('eventForm.translations.title')}</summary>
      <p id={`${id}-about`} className="field__hint">{t('eventForm.translations.about')}</p>
      {TRANSLATED.map((language) => {
        const name = languageName(language);
        const row = rows[language] ?? { name: '', description: '' };
        return (
          <fieldset key={language} className="event-translations__language" aria-describedby={`${id}-about`}
            data-testid={`translation-${language}`}>
            <legend>{name}</legend>
            <Field label={t('eventForm.translations.name', { language: name })} lang={language} value={row.name}
              error={errors[`translations.${language}.name`]} onChange={(e) => change(language, 'name', e.target.value)} />
            <TextAreaField label={t('eventForm.translations.description', { language: name })} lang={language} rows={3}
              value={row.description} error={errors[`translations.${language}.description`]}
              onChange={(e) => change(language, 'description', e.target.value)} />
          </fieldset>
        );
      })}
    </details>
  );
}
