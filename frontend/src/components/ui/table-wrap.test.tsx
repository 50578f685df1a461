import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { TableWrap } from './table-wrap';

/** A ResizeObserver the test drives: `resize()` calls back every observer, as the browser does on a new layout. */
function fakeResizeObserver() {
  const callbacks: (() => void)[] = [];
  vi.stubGlobal('ResizeObserver', class {
    constructor(callback: () => void) { callbacks.push(callback); }
    observe() {}
    disconnect() {}
  });
  return { resize: () => act(() => { for (const callback of callbacks) callback(); }) };
}

/** The frame's widths as a layout would give them: its table's and its own. */
function widths(frame: HTMLElement, content: number, own: number) {
  Object.defineProperty(frame, 'scrollWidth', { configurable: true, value: content });
  Object.defineProperty(frame, 'clientWidth', { configurable: true, value: own });
}

describe('TableWrap', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('is a plain frame, out of the tab order, while its table fits', () => {
    const observer = fakeResizeObserver();
    const { container } = render(<TableWrap label="Attendees"><table aria-label="Attendees" /></TableWrap>);
    const frame = container.firstElementChild as HTMLElement;
    widths(frame, 600, 800);
    observer.resize();
    expect(screen.queryByRole('region')).toBeNull();
    expect(frame).not.toHaveAttribute('tabindex');
  });

  it('becomes a named region a keyboard can focus (and so scroll) once its table is wider than the screen', () => {
    const observer = fakeResizeObserver();
    const { container } = render(<TableWrap label="Attendees"><table aria-label="Attendees" /></TableWrap>);
    const frame = container.firstElementChild as HTMLElement;
    widths(frame, 884, 308);
    observer.resize();
    expect(screen.getByRole('region', { name: 'Attendees' })).toHaveAttribute('tabindex', '0');
    widths(frame, 600, 800);
    observer.resize();
    expect(screen.queryByRole('region')).toBeNull();
  });
});
