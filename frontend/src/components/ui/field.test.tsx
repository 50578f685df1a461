import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { Field, TextAreaField } from './field';

describe('Field', () => {
  it('is described by its hint while it has no error', () => {
    render(<Field label="Hold" hint="Minutes" />);
    const input = screen.getByLabelText('Hold');
    expect(input).toHaveAttribute('aria-invalid', 'false');
    expect(input).toHaveAccessibleDescription('Minutes');
  });

  it('is described by its error alone once it has one, the hint no longer shown', () => {
    render(<Field label="Hold" hint="Minutes" error="Whole minutes from 1 to 60" />);
    const input = screen.getByLabelText('Hold');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Whole minutes from 1 to 60');
    const described = input.getAttribute('aria-describedby') ?? '';
    expect(described.split(' ').every((id) => document.getElementById(id))).toBe(true);
    expect(screen.queryByText('Minutes')).toBeNull();
  });

  it('has no description without a hint or an error', () => {
    render(<Field label="Name" />);
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-describedby');
  });
});

describe('TextAreaField', () => {
  it('is described by its hint, then by its error alone', () => {
    const { rerender } = render(<TextAreaField label="Address" hint="One line each" />);
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('One line each');
    rerender(<TextAreaField label="Address" hint="One line each" error="Required" />);
    expect(screen.getByLabelText('Address')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('Required');
  });
});
