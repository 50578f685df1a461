// Environment, validated once at start: the UI fails fast on a malformed setting.
const raw = import.meta.env.VITE_API_URL ?? '';

function apiUrl(value: string): string {
  if (value === '') return ''; // same origin: served by the API, or proxied by Vite in dev
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new Error(`VITE_API_URL must be an absolute URL, got "${value}"`);
  }
}

export const env = {
  API_URL: apiUrl(raw),
} as const;
