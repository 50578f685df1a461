import { describe, expect, it } from 'vitest';

import type { LedgerEvent, User } from '@/types/api';

import { runs } from './event-editor';

const user = (id: string, role: User['role']): User => ({ id, role, email: `${id}@x.test`, name: id, phone: null });
const event = { organizer_id: 'ann', co_organizers: [{ id: 'ben', name: 'Ben' }] } as unknown as LedgerEvent;

describe('runs', () => {
  it('lets the organizer, a co-organizer and admins edit, and no other organizer', () => {
    expect(runs(user('ann', 'organizer'), event)).toBe(true);
    expect(runs(user('ben', 'organizer'), event)).toBe(true);
    expect(runs(user('root', 'admin'), event)).toBe(true);
    expect(runs(user('cid', 'organizer'), event)).toBe(false);
    expect(runs(null, event)).toBe(false);
  });
});
