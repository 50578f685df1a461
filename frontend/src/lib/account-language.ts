import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { Schemas, User } from '@/types/api';

import { api } from './api-client';
import { meQueryKey } from './auth';
import type { Language } from './i18n';

/** Keep the language on the account: the API sends the buyer's messages in it, and a sign-in elsewhere starts in it. */
export async function setAccountLanguage(language: Language): Promise<User> {
  const { data } = await api.put<User>('/users/me/language', { language } satisfies Schemas['LanguageIn']);
  return data;
}

export function useSetAccountLanguage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setAccountLanguage,
    onSuccess: (user) => queryClient.setQueryData(meQueryKey, user),
  });
}
