/** A JSON document as the API gave it, readable and scrollable. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" aria-label={label} tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>
  );
}
