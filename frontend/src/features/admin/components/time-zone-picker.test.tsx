import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { TimeZonePicker } from './time-zone-picker';

function Picker({ onPick = () => {} }: { onPick?: (zone: string) => void }) {
  const [zone, setZone] = useState('Europe/Warsaw');
  return <TimeZonePicker label="Time zone" value={zone} onChange={(z) => { setZone(z); onPick(z); }} hint="The venue's" />;
}

describe('TimeZonePicker', () => {
  it('is a labelled combobox whose listbox shows the zones a city finds, each with its offset', async () => {
    render(<Picker />);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await userEvent.clear(box);
    await userEvent.type(box, 'New York');
    expect(box).toHaveAttribute('aria-expanded', 'true');
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options[0]).toHaveTextContent(/^New York America\/New_York UTC[+\u2212]\d/);
    expect(box).toHaveAttribute('aria-activedescendant', options[0].id);
    expect(screen.getByRole('status')).toHaveTextContent(/^1 time zone matches; up and down to choose, Enter to pick\.$/);
  });

  it('finds a zone by country and picks it with the keyboard, without sending the form', async () => {
    const onPick = vi.fn();
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    render(<form onSubmit={onSubmit}><Picker onPick={onPick} /></form>);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    await userEvent.clear(box);
    await userEvent.type(box, 'United States');
    const options = screen.getAllByRole('option');
    expect(options[0]).toHaveTextContent('America/New_York');
    expect(options[1]).toHaveTextContent('America/Chicago');
    await userEvent.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', options[1].id);
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{ArrowUp}{ArrowDown}{Enter}');
    expect(onPick).toHaveBeenLastCalledWith('America/Chicago');
    expect(box).toHaveValue('America/Chicago');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('takes the one zone a place finds when the field is left', async () => {
    const onPick = vi.fn();
    render(<><Picker onPick={onPick} /><button type="button">Next</button></>);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    await userEvent.clear(box);
    await userEvent.type(box, 'Poland');
    await userEvent.tab();
    expect(box).toHaveValue('Europe/Warsaw');
    expect(onPick).toHaveBeenLastCalledWith('Europe/Warsaw');
  });

  it('picks a zone by click, and says so when nothing matches', async () => {
    const onPick = vi.fn();
    render(<Picker onPick={onPick} />);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    await userEvent.clear(box);
    await userEvent.type(box, 'Japan');
    await userEvent.click(screen.getByRole('option', { name: /Asia\/Tokyo/ }));
    expect(onPick).toHaveBeenLastCalledWith('Asia/Tokyo');
    await userEvent.clear(box);
    await userEvent.type(box, 'Atlantis');
    expect(screen.getByRole('status')).toHaveTextContent('No time zone matches “Atlantis”: try the venue\'s city or country.');
    expect(screen.queryByRole('option')).toBeNull();
  });
});
