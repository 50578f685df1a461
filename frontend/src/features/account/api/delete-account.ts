import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

export type Erasure = Schemas['ErasureOut'];

/** Delete the signed-in account (the API forgets the person: `DELETE /users/me`, the password typed again). Its
 * tokens stop working at once; the caller ends the session here. */
export async function deleteAccount(password: string): Promise<Erasure> {
  const { data } = await api.delete<Erasure>('/users/me', { data: { password } satisfies Schemas['ErasureConfirmIn'] });
  return data;
}

export const useDeleteAccount = () => useMutation({ mutationFn: deleteAccount });
