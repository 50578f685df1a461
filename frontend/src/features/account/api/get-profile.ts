import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

export async function getProfile(): Promise<User> {
  const { data } = await api.get<User>('/users/me');
  return data;
}

export const profileQueryOptions = () => queryOptions({ queryKey: ['account', 'profile'], queryFn: getProfile });

export const useProfile = () => useQuery(profileQueryOptions());
