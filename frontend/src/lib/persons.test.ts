import { describe, expect, it } from 'vitest';

import { i18n } from './i18n';
import { ERASED_NAME, isErased, personName } from './persons';

describe('a person forgotten', () => {
  it('reads "erased" in the UI\'s language; any other name as written', async () => {
    expect(personName(ERASED_NAME)).toBe('erased');
    expect(personName('Ann')).toBe('Ann');
    expect(personName(null)).toBeNull();
    await i18n.changeLanguage('de');
    expect(personName(ERASED_NAME)).toBe(i18n.t('privacy:erased'));
    expect(personName(ERASED_NAME)).not.toBe('erased');
    expect(personName('Ann')).toBe('Ann');
  });

  it('is known by the address the API no longer gives', () => {
    expect(isErased({ email: null })).toBe(true);
    expect(isErased({ email: 'ann@x.test' })).toBe(false);
  });
});
