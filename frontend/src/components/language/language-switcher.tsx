import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { useSetAccountLanguage } from '@/lib/account-language';
import { useAuth } from '@/lib/auth';
import { currentLanguage, isLanguage, LANGUAGES } from '@/lib/i18n';

/** The language of the page, chosen from a labelled list, each language named in itself; kept in this browser and,
 * for a signed-in user, on the account. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const save = useSetAccountLanguage();
  const id = useId();
  const choose = (value: string) => {
    if (!isLanguage(value)) return;
    void i18n.changeLanguage(value);
    if (user) save.mutate(value);
  };
  return (
    <div className="language">
      <label htmlFor={id} className="language__label">{t('language.label')}</label>
      <select id={id} className="language__select" value={currentLanguage()} onChange={(e) => choose(e.target.value)}
        data-testid="language-switcher">
        {Object.entries(LANGUAGES).map(([code, name]) => <option key={code} value={code} lang={code}>{name}</option>)}
      </select>
      {save.isError && <small className="field__error" role="status">{t('language.notSaved')}</small>}
    </div>
  );
}
