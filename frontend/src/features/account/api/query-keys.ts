import { ROOT } from '@/lib/react-query';

/** Every query key of the account feature. */
export const accountKeys = {
  profile: [ROOT.account, 'profile'] as const,
};
