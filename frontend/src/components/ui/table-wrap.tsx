import { useEffect, useRef, useState, type ReactNode } from 'react';

/** Whether the element's content is wider than the element (it scrolls sideways), followed as either is resized. */
function useScrollsSideways<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    measure();
    return () => observer.disconnect();
  });
  return [ref, scrolls] as const;
}

/**
 * A table's frame that scrolls sideways when the table is wider than the screen. Only then is it a named region in
 * the tab order: a keyboard user can focus it and scroll it with the arrow keys, and a wide screen gains no empty stop.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  const [ref, scrolls] = useScrollsSideways<HTMLDivElement>();
  return (
    <div ref={ref} className="table-wrap" {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}>
      {children}
    </div>
  );
}
