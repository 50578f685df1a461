/** A JSON document as the API gave it, readable and scrollable: a named region, focusable to scroll it by keyboard. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" role="region" aria-label={label} tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>
  );
}
