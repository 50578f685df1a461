import axios, { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig, type RawAxiosHeaders } from 'axios';

import { env } from '@/config/env';

import { noteServerDate, noteServerTime } from './server-clock';

/** Every failed call ends as one of these: the API's stable code and its message. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail?: unknown;
  /** What the refusal found, where the API says it (a ticket already checked in: `ticket`). */
  readonly facts: Record<string, unknown>;

  constructor(code: string, message: string, status = 0, detail?: unknown, facts: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.facts = facts;
  }
}

const TOKEN_KEY = 'ledger.token';
const listeners = new Set<() => void>();

export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** Called when the API says the session is no longer valid (401 on an authenticated call). */
export function onUnauthorized(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Read your own writes: commands answer with X-Position; later reads wait for it.
let lastPosition = 0;
export const positions = {
  get: () => lastPosition,
  note: (value: unknown) => {
    const n = Number(value);
    if (Number.isFinite(n) && n > lastPosition) lastPosition = n;
  },
  reset: () => {
    lastPosition = 0;
  },
};

// Not the API's ErrorOut: an error's body may come from a proxy instead, so each field is checked before use.
type ErrorBody = { code?: unknown; message?: unknown; detail?: unknown; [fact: string]: unknown };

/** The API's error body: `{code, message}`, or the same wrapped as `{error: {...}}`. */
function errorBody(data: unknown): ErrorBody | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const wrapped = (data as { error?: unknown }).error;
  return (wrapped && typeof wrapped === 'object' ? wrapped : data) as ErrorBody;
}

export function normaliseError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AxiosError) {
    const status = error.response?.status ?? 0;
    const body = errorBody(error.response?.data);
    if (body && typeof body.code === 'string') {
      const message = typeof body.message === 'string' ? body.message : body.code;
      const facts = Object.fromEntries(Object.entries(body).filter(([key]) => !['code', 'message', 'detail'].includes(key)));
      return new ApiError(body.code, message, status, body.detail, facts);
    }
    if (!error.response) {
      return new ApiError('NETWORK_ERROR', 'Cannot reach the server. Check your connection and try again.');
    }
    return new ApiError(`HTTP_${status}`, `The server answered ${status}.`, status);
  }
  return new ApiError('UNKNOWN', error instanceof Error ? error.message : 'Something went wrong.');
}

function authorise(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  const token = tokenStore.get();
  if (token && !config.headers.has('Authorization')) {
    config.headers.set('Authorization', `Bearer ${token}`);
  }
  if ((config.method ?? 'get').toLowerCase() === 'get' && lastPosition > 0) {
    config.params = { min_position: lastPosition, ...(config.params ?? {}) };
  }
  return config;
}

// When each request left, by the device's clock: an answer's Date header is read against it.
const sentAt = new WeakMap<InternalAxiosRequestConfig, number>();

function stampSent(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  sentAt.set(config, Date.now());
  return config;
}

/** Every answer, a refusal too, tells the server's clock. */
function learnClock(response: AxiosResponse | undefined): void {
  const sent = response && sentAt.get(response.config);
  if (!response || sent === undefined) return;
  const headers = AxiosHeaders.from(response.headers as RawAxiosHeaders);
  const received = Date.now();
  if (!noteServerTime(headers.get('x-server-time'), sent, received)) noteServerDate(headers.get('date'), sent, received);
}

/**
 * A read that asked for `min_position` and was answered from an earlier one (the API waits a
 * bounded time for its projections, then answers what it has): it may lack the user's own write.
 */
function readBehind(response: AxiosResponse): boolean {
  const asked = Number((response.config.params as { min_position?: unknown } | undefined)?.min_position);
  const read = Number(response.headers['x-projection-position']);
  return asked > 0 && Number.isFinite(read) && read < asked;
}

function remember(response: AxiosResponse): AxiosResponse | Promise<never> {
  learnClock(response);
  positions.note(response.headers['x-position']);
  if (readBehind(response)) {
    // Refused like a busy server, so a query asks again (react-query's retries) rather than
    // showing a page without what the user just did.
    return Promise.reject(new ApiError('PROJECTION_BEHIND', 'This page is still catching up with your last change; try again.', 503));
  }
  return response;
}

function reject(error: unknown): Promise<never> {
  if (error instanceof AxiosError) learnClock(error.response);
  const normalised = normaliseError(error);
  const sent = error instanceof AxiosError ? error.config?.headers?.get?.('Authorization') : undefined;
  // Only the session in use ends: a 401 to a token already replaced (a password change answers
  // with a new one and revokes the old) must not sign out the session that continues.
  if (normalised.status === 401 && sent && sent === `Bearer ${tokenStore.get()}`) {
    tokenStore.clear();
    listeners.forEach((listener) => listener());
  }
  return Promise.reject(normalised);
}

export const api = axios.create({
  baseURL: `${env.API_URL}/api`,
  timeout: 20_000,
  headers: { Accept: 'application/json' },
  paramsSerializer: { indexes: null }, // ids=a&ids=b, as FastAPI expects lists
});
// Request interceptors run last-added first: the stamp, added first, is taken just before sending.
api.interceptors.request.use(stampSent);
api.interceptors.request.use(authorise);
api.interceptors.response.use(remember, reject);

/** The URL of an API path for things axios does not fetch (EventSource). */
export function apiUrl(path: string, params?: Record<string, string | number | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    (Array.isArray(value) ? value : [value]).forEach((v) => search.append(key, String(v)));
  }
  const query = search.toString();
  return `${env.API_URL}/api${path}${query ? `?${query}` : ''}`;
}
