import { describe, expect, it } from 'vitest';

import { eventDescription, eventName } from './event-language';
import { i18n } from './i18n';

describe("an event's name and description in a language", () => {
  const event = { name: 'Jazz night', description: 'A night of jazz.', translations: { pl: { name: 'Wieczór jazzowy', description: null } } };

  it("reads the one given for the language, else the event's own", () => {
    expect(eventName(event, 'pl')).toBe('Wieczór jazzowy');
    expect(eventDescription(event, 'pl')).toBe('A night of jazz.');
    expect(eventName(event, 'de')).toBe('Jazz night');
    expect(eventName({ name: 'Plain', description: '' }, 'pl')).toBe('Plain'); // an event with no translations
  });

  it("speaks the UI's language unless told", async () => {
    expect(eventName(event)).toBe('Jazz night');
    await i18n.changeLanguage('pl');
    expect(eventName(event)).toBe('Wieczór jazzowy');
  });
});
