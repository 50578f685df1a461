import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { VerifyReport } from '../api/verify-runs';
import { VerifyChecks } from './verify-report';

const clean: VerifyReport = {
  ok: true, checked_events: 24, checked_streams: 11, events: [],
  chain: { ok: true, broken: [] },
  projections: { availability: { ok: true, position: 24, difference_count: 0, differences: [] } },
  snapshots: { ok: true, checked: 3, unsealed: 0, bad: [] },
  proofs: { ok: true, heads_checked: 2, leaves: 24, problems: [] },
};

describe('VerifyChecks', () => {
  it('says the snapshots were checked against the replay', () => {
    render(<VerifyChecks report={clean} />);
    expect(screen.getByText(/Snapshots equal the replay \(3 checked\)/)).toBeInTheDocument();
  });

  it('names a forged snapshot', () => {
    const bad = { event_id: 'b1c9b16f-b576-4288-811f-eddcb11d67a8', version: 5, problem: 'its state differs from the replay' };
    render(<VerifyChecks report={{ ...clean, ok: false, snapshots: { ok: false, checked: 3, unsealed: 1, bad: [bad] } }} />);
    expect(screen.getByText('Problems found.')).toBeInTheDocument();
    expect(screen.getByText(/1 forged or misplaced, 1 unsealed and unused/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Bad snapshots' })).toHaveTextContent('b1c9b16f snapshot v5: its state differs from the replay');
  });
});
