/** The product mark: a ticket. Inline SVG (no emoji font needed, no extra request). */
export function TicketIcon({ size = 22 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#6366f1" />
      <path d="M8 11h16v3a2 2 0 0 0 0 4v3H8v-3a2 2 0 0 0 0-4z" fill="#fff" />
      <path d="M18 11v10" stroke="#6366f1" strokeWidth="1.4" strokeDasharray="1.6 1.4" />
    </svg>
  );
}
