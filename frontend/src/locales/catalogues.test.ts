import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { catalogues, LANGUAGES, NAMESPACES, SOURCE_LANGUAGE } from '@/lib/i18n';

// English is the source: every other language has each of its keys, in every plural form that language needs
// (Polish: one, few, many, other), never empty; and no key English does not have. The code asks only for keys that
// English has.

type Catalogue = Record<string, unknown>;

/** Every string of a catalogue by its dotted key: {"seats": {"left_one": …}} gives "seats.left_one". */
function flatten(catalogue: Catalogue, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, text] of flatten(value as Catalogue, path)) found.set(inner, text);
    } else {
      found.set(path, value);
    }
  }
  return found;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const variables = (text: unknown) => new Set([...String(text).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]));

/** The keys a language must have for English's keys: a plural of English's in each of the language's categories. */
function keysNeeded(english: Map<string, unknown>, language: string): Map<string, Set<string>> {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const needed = new Map<string, Set<string>>(); // key -> the variables English uses in it
  for (const [key, text] of english) {
    const base = key.replace(PLURAL, '');
    const forms = base === key ? [key] : categories.map((category) => `${base}_${category}`);
    for (const form of forms) needed.set(form, new Set([...(needed.get(form) ?? []), ...variables(text)]));
  }
  // A plural's variables are those of all its English forms ("one" may say no {{count}}, "other" does).
  for (const [key] of needed) {
    const base = key.replace(PLURAL, '');
    if (base === key) continue;
    const all = [...english].filter(([k]) => k.replace(PLURAL, '') === base).flatMap(([, text]) => [...variables(text)]);
    needed.set(key, new Set(all));
  }
  return needed;
}

/** What is wrong with one language's catalogues against English's, one line a problem: "de events:seats.only_few: missing". */
function catalogueProblems(language: string, all = catalogues): string[] {
  const problems: string[] = [];
  for (const namespace of Object.keys(all[SOURCE_LANGUAGE] ?? {})) {
    const english = flatten((all[SOURCE_LANGUAGE]?.[namespace] ?? {}) as Catalogue);
    const theirs = flatten((all[language]?.[namespace] ?? {}) as Catalogue);
    const needed = keysNeeded(english, language);
    for (const [key, allowed] of needed) {
      const text = theirs.get(key);
      if (text === undefined) problems.push(`${language} ${namespace}:${key}: missing`);
      else if (typeof text !== 'string' || text.trim() === '') problems.push(`${language} ${namespace}:${key}: empty`);
      else {
        const unknown = [...variables(text)].filter((name) => !allowed.has(name));
        if (unknown.length) problems.push(`${language} ${namespace}:${key}: {{${unknown.join('}}, {{')}}} is not English's`);
      }
    }
    for (const key of theirs.keys()) if (!needed.has(key)) problems.push(`${language} ${namespace}:${key}: not in English`);
  }
  for (const namespace of Object.keys(all[language] ?? {})) {
    if (!all[SOURCE_LANGUAGE]?.[namespace]) problems.push(`${language} ${namespace}: a namespace English does not have`);
  }
  return problems;
}

// The keys the code asks for by a literal: t('key'), t('ns:key'), i18n.t('ns:key'), i18nKey="key", a bare key in the
// namespace of the file's first useTranslation (a file speaks one namespace; another's keys carry their prefix). A key
// built at run time (`status.${status}`) is not seen here; the catalogues' own check above still covers its entries.
const SOURCE = resolve(import.meta.dirname, '..');
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function keysUsed(): { file: string; key: string }[] {
  const used: { file: string; key: string }[] = [];
  for (const path of sourceFiles(SOURCE)) {
    const text = readFileSync(path, 'utf8');
    const namespace = /useTranslation\(\s*'(\w+)'/.exec(text)?.[1] ?? 'common';
    const calls = [...text.matchAll(/(?:\bi18n\.t|\bt|\btr)\(\s*'([^'$`]+)'/g), ...text.matchAll(/i18nKey="([^"]+)"/g)];
    for (const [, key] of calls) {
      used.push({ file: relative(SOURCE, path), key: key.includes(':') ? key : `${namespace}:${key}` });
    }
  }
  return used;
}

describe('the catalogues', () => {
  const english = (namespace: string) => flatten((catalogues[SOURCE_LANGUAGE]?.[namespace] ?? {}) as Catalogue);

  it('have a file for each language and namespace', () => {
    expect(Object.keys(catalogues).sort()).toEqual(Object.keys(LANGUAGES).sort());
    expect(NAMESPACES).toEqual(expect.arrayContaining(['common', 'errors', 'events', 'checkout', 'bookings', 'auth', 'account']));
  });

  it.each(Object.keys(LANGUAGES).filter((l) => l !== SOURCE_LANGUAGE))('%s has every key of English, in each of its plural forms', (language) => {
    expect(catalogueProblems(language)).toEqual([]);
  });

  it('say what is missing, by language and key, down to a plural form', () => {
    const trimmed = structuredClone(catalogues);
    const events = trimmed.pl.events as { seats: Record<string, string> };
    delete events.seats.only_few;
    (trimmed.de.common as { layout: Record<string, string> }).layout.skip = ' ';
    expect(catalogueProblems('pl', trimmed)).toEqual(['pl events:seats.only_few: missing']);
    expect(catalogueProblems('de', trimmed)).toEqual(['de common:layout.skip: empty']);
  });

  it('has in English every key the code asks for', () => {
    const used = keysUsed();
    expect(used.length).toBeGreaterThan(200);
    const missing = used.filter(({ key }) => {
      const [namespace, path] = key.split(/:(.*)/s);
      const keys = english(namespace);
      return !keys.has(path) && !keys.has(`${path}_other`) && ![...keys.keys()].some((k) => k.startsWith(`${path}.`));
    });
    expect(missing.map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
  });
});
