import { describe, expect, it } from 'vitest';

import type { LedgerEvent, Role, User } from '@/types/api';

import { allowed, navEntries, owns, runs } from './authorization';

const user = (id: string, role: User['role']): User => ({ id, role, email: `${id}@x.test`, name: id, phone: null, language: 'en' });
const event = { organizer_id: 'ann', co_organizers: [{ id: 'ben', name: 'Ben' }] } as unknown as LedgerEvent;
const labels = (role: Role | null) => navEntries(role).map((e) => e.label);

describe('navEntries', () => {
  it("shows each role its workspace's entries and none it cannot use", () => {
    expect(labels(null)).toEqual(['Events']);
    expect(labels('customer')).toEqual(['Events', 'My bookings']);
    expect(labels('organizer')).toEqual(['Events', 'My bookings', 'Dashboard', 'Invoicing', 'Webhooks']);
    expect(labels('admin')).toEqual(['Events', 'My bookings', 'Admin', 'Invoicing', 'Webhooks', 'Audit']);
    expect(labels('auditor')).toEqual(['Events', 'Audit']);
  });

  it('keeps the admin workspace from auditors and the audit workspace from organizers', () => {
    expect(allowed('auditor', 'admin')).toBe(false);
    expect(allowed('auditor', 'book')).toBe(false);
    expect(allowed('organizer', 'audit')).toBe(false);
    expect(allowed('admin', 'audit')).toBe(true);
    expect(allowed(null, 'book')).toBe(false);
  });
});

describe('runs and owns', () => {
  it('lets the organizer, a co-organizer and admins edit, and no other organizer', () => {
    expect(runs(user('ann', 'organizer'), event)).toBe(true);
    expect(runs(user('ben', 'organizer'), event)).toBe(true);
    expect(runs(user('root', 'admin'), event)).toBe(true);
    expect(runs(user('cid', 'organizer'), event)).toBe(false);
    expect(runs(null, event)).toBe(false);
  });

  it('lets only its organizer and admins end it', () => {
    expect(owns(user('ann', 'organizer'), event)).toBe(true);
    expect(owns(user('ben', 'organizer'), event)).toBe(false);
    expect(owns(user('root', 'admin'), event)).toBe(true);
  });
});
