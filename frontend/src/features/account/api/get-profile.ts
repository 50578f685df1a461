import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

import { accountKeys } from './query-keys';

export async function getProfile(): Promise<User> {
  const { data } = await api.get<User>('/users/me');
  return data;
}

export const profileQueryOptions = () => queryOptions({ queryKey: accountKeys.profile, queryFn: getProfile });

export const useProfile = () => useQuery(profileQueryOptions());
