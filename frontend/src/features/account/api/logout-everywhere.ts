import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** Revoke every token of the account: this browser's and every other device's. Unlike the
 * header's "Log out" (which never waits), the caller waits for the API's 204 before saying so. */
export async function logoutEverywhere(): Promise<void> {
  await api.post('/auth/logout');
}

export const useLogoutEverywhere = () => useMutation({ mutationFn: logoutEverywhere });
