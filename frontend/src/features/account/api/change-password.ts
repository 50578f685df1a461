import { useMutation } from '@tanstack/react-query';

import { api, tokenStore } from '@/lib/api-client';
import type { Schemas, Token } from '@/types/api';

/** The form's fields; sent as the API's PasswordChangeIn. */
export interface PasswordChangeInput { currentPassword: string; newPassword: string }

/** Set a new password. The API revokes every earlier token and answers with a fresh one, which
 * is stored at once (as the login does) so that this session continues. */
export async function changePassword({ currentPassword, newPassword }: PasswordChangeInput): Promise<Token> {
  const { data } = await api.post<Token>('/auth/password', {
    current_password: currentPassword,
    new_password: newPassword,
  } satisfies Schemas['PasswordChangeIn']);
  tokenStore.set(data.access_token);
  return data;
}

export const useChangePassword = () => useMutation({ mutationFn: changePassword });
