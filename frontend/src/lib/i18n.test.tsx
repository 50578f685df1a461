import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { AppLayout } from '@/components/layouts/app-layout';
import { serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { ApiError } from './api-client';
import { errorSentence } from './error-sentences';
import { dateTime, eventTime, money, number } from './format';
import { currentLanguage, i18n, LANGUAGE_KEY } from './i18n';

/** The browser's languages, as navigator.languages lists them. */
function browserSpeaks(...languages: string[]) {
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
  vi.spyOn(navigator, 'language', 'get').mockReturnValue(languages[0] ?? '');
}

describe('the language on a first visit', () => {
  it("is the browser's first language the UI speaks", async () => {
    localStorage.removeItem(LANGUAGE_KEY);
    browserSpeaks('fr-FR', 'pl-PL', 'en-US');
    await act(() => i18n.changeLanguage());
    expect(currentLanguage()).toBe('pl');
    expect(document.documentElement.lang).toBe('pl');
  });

  it('is German for a browser set to Austrian German', async () => {
    localStorage.removeItem(LANGUAGE_KEY);
    browserSpeaks('de-AT');
    await act(() => i18n.changeLanguage());
    expect(currentLanguage()).toBe('de');
  });

  it('falls back to English when the browser speaks none of them', async () => {
    localStorage.removeItem(LANGUAGE_KEY);
    browserSpeaks('fr-FR', 'it');
    await act(() => i18n.changeLanguage());
    expect(currentLanguage()).toBe('en');
  });

  it("is the buyer's own earlier choice, kept in this browser, over the browser's", async () => {
    localStorage.setItem(LANGUAGE_KEY, 'de');
    browserSpeaks('pl-PL');
    await act(() => i18n.changeLanguage());
    expect(currentLanguage()).toBe('de');
  });
});

describe('the language switcher', () => {
  it('names each language in itself, changes the page and <html lang>, and is kept in this browser', async () => {
    renderWithProviders(<AppLayout><p>page</p></AppLayout>);
    const switcher = screen.getByRole('combobox', { name: 'Language' });
    expect([...switcher.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['English', 'Deutsch', 'Polski']);
    expect(screen.getByRole('link', { name: 'Skip to content' })).toBeInTheDocument();

    await userEvent.selectOptions(switcher, 'Deutsch');
    expect(await screen.findByRole('link', { name: 'Zum Inhalt springen' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Sprache' })).toHaveValue('de');
    expect(screen.getByRole('link', { name: 'Veranstaltungen' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('de');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('de');

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Sprache' }), 'Polski');
    expect(await screen.findByRole('link', { name: 'Przejdź do treści' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('pl');
  });

  it("is reached by the keyboard from the header (a native list: its keys are the browser's)", async () => {
    renderWithProviders(<AppLayout><p>page</p></AppLayout>);
    const switcher = screen.getByRole('combobox', { name: 'Language' });
    for (let i = 0; i < 20 && document.activeElement !== switcher; i += 1) await userEvent.tab();
    expect(switcher).toHaveFocus();
  });

  it("saves a signed-in buyer's choice on the account", async () => {
    const user = userOf('customer');
    const calls = serveApi({ 'PUT /users/me/language': (call: { data: { language: string } }) => ({ ...user, language: call.data.language }) });
    renderWithProviders(<AppLayout><p>page</p></AppLayout>, { user });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'Polski');
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.data).toEqual({ language: 'pl' }));
    expect(screen.queryByText(/could not keep the language/i)).toBeNull();
  });

  it('keeps the choice in this browser, and says so, when the account cannot keep it', async () => {
    serveApi({});
    renderWithProviders(<AppLayout><p>page</p></AppLayout>, { user: userOf('customer') });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'Deutsch');
    expect(await screen.findByText('Ihr Konto konnte die Sprache nicht speichern; dieser Browser behält sie.')).toBeInTheDocument();
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('de');
  });
});

describe("the account's language", () => {
  it('wins at sign-in: the page speaks it', async () => {
    renderWithProviders(<AppLayout><p>page</p></AppLayout>, { user: { ...userOf('customer'), language: 'pl' } });
    expect(await screen.findByRole('link', { name: 'Przejdź do treści' })).toBeInTheDocument();
    expect(currentLanguage()).toBe('pl');
  });
});

describe('formatting in the language of the page', () => {
  const at = '2026-12-20T19:00:00Z';

  it('writes prices and numbers as German does', async () => {
    await i18n.changeLanguage('de');
    expect(money(1234.5, 'EUR')).toBe('1.234,50\u00a0€');
    expect(money('25', 'USD')).toBe('25,00\u00a0$');
    expect(number(1234.5)).toBe('1.234,5');
  });

  it('writes prices as English does', () => {
    expect(money(1234.5, 'EUR')).toBe('€1,234.50');
    expect(number(1234.5)).toBe('1,234.5');
  });

  it("writes an event's time in German, in the venue's zone with its label", async () => {
    await i18n.changeLanguage('de');
    expect(eventTime(at, 'Europe/Berlin', 'Europe/Berlin')).toBe('So., 20. Dez. 2026, 20:00 UTC+1 (Berlin)');
    expect(eventTime(at, 'America/New_York', 'Europe/Berlin'))
      .toBe('So., 20. Dez. 2026, 14:00 UTC−5 (New York; So., 20. Dez. 2026, 20:00 UTC+1 Ihre Zeit)');
    expect(dateTime(at, 'Europe/Warsaw')).toBe('So., 20. Dez. 2026, 20:00 UTC+1');
  });

  it("writes an event's time in Polish", async () => {
    await i18n.changeLanguage('pl');
    expect(eventTime(at, 'Europe/Warsaw', 'Europe/Warsaw')).toBe('niedz., 20 gru 2026, 20:00 UTC+1 (Warsaw)');
    expect(money(1234.5, 'PLN')).toBe('1234,50\u00a0zł');
  });
});

describe('plurals', () => {
  it('take the Polish forms: one, few, many, and other for fractions', async () => {
    await i18n.changeLanguage('pl');
    const tickets = (count: number) => i18n.t('checkout:tickets', { count });
    expect([1, 2, 4, 5, 12, 22, 25, 101].map(tickets)).toEqual([
      '1 bilet', '2 bilety', '4 bilety', '5 biletów', '12 biletów', '22 bilety', '25 biletów', '101 biletów',
    ]);
    expect(tickets(1.5)).toBe('1.5 biletu');
    expect(i18n.t('events:limit', { count: 3 })).toBe('Limit: 3 bilety na osobę.');
  });

  it('take the German forms', async () => {
    await i18n.changeLanguage('de');
    expect(i18n.t('checkout:tickets', { count: 1 })).toBe('1 Ticket');
    expect(i18n.t('checkout:tickets', { count: 3 })).toBe('3 Tickets');
    expect(i18n.t('checkout:length.minutes', { count: 10 })).toBe('10 Minuten');
  });
});

describe('error sentences in the language of the page', () => {
  it("say a code in German, rather than the API's English particulars", async () => {
    await i18n.changeLanguage('de');
    expect(errorSentence(new ApiError('SOLD_OUT', "Category 'VIP' is sold out", 400)))
      .toBe('Diese Kategorie ist ausverkauft. Wählen Sie eine andere Kategorie, oder tragen Sie sich in ihre Warteliste ein.');
    expect(errorSentence(new ApiError('EMAIL_TAKEN', 'EMAIL_TAKEN', 409)))
      .toBe('Es gibt bereits ein Konto mit dieser E-Mail: Melden Sie sich stattdessen an.');
  });

  it('say a code in Polish', async () => {
    await i18n.changeLanguage('pl');
    expect(errorSentence(new ApiError('INVALID_CREDENTIALS', 'x', 401))).toBe('Ten e-mail i hasło nie pasują do żadnego konta.');
  });
});
