import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { onTestFinished } from 'vitest';

import { api, positions, tokenStore } from '@/lib/api-client';

/** A refusal the fake server answers with: the API's error body (`detail` when given) and status. */
export class Refusal {
  constructor(readonly status: number, readonly code: string, readonly message: string, readonly detail?: unknown,
    readonly facts: Record<string, unknown> = {}) {}
}
export const refuse = (status: number, code = `HTTP_${status}`, message = `Refused with ${status}`, detail?: unknown,
  facts: Record<string, unknown> = {}) => new Refusal(status, code, message, detail, facts);

/** An answer that never comes: the component stays in its loading state. */
export const PENDING = Symbol('pending');

/** A full answer: a status other than 200, headers (a file's Content-Disposition). */
export class Answer {
  constructor(readonly data: unknown, readonly status = 200, readonly headers: Record<string, string> = {}) {}
}

export interface Call { method: string; url: string; params: Record<string, unknown>; data: unknown; headers: Record<string, unknown> }
type Handler = unknown | ((call: Call) => unknown);

/**
 * Serve the API from memory for one test: `routes` maps "GET /audit/log" (no query string)
 * to the data to answer, a function of the call, a `refuse(...)`, `PENDING` or an `Answer`.
 * Any other call fails as a 404 (NOT_FOUND), as an endpoint that is not there yet would.
 * Returns the calls made, in order; the real adapter comes back when the test ends.
 */
export function serveApi(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  const original = api.defaults.adapter;
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const method = (config.method ?? 'get').toUpperCase();
    const url = config.url ?? '';
    const params = { ...(config.params as Record<string, unknown> | undefined) };
    delete params.min_position;
    const data = typeof config.data === 'string' && config.data.startsWith('{') ? JSON.parse(config.data) : config.data;
    const headers = { ...(config.headers?.toJSON?.() as Record<string, unknown> | undefined) };
    const call: Call = { method, url, params, data, headers };
    calls.push(call);
    const key = `${method} ${url}`;
    const handler = key in routes ? routes[key] : refuse(404, 'NOT_FOUND', `No route ${key}`);
    let found = typeof handler === 'function' ? (handler as (c: Call) => unknown)(call) : handler;
    found = await found;
    if (found === PENDING) return new Promise(() => {});
    const answer = found instanceof Answer ? found : found instanceof Refusal ? found : new Answer(found);
    if (answer instanceof Refusal) {
      const body = { ...answer.facts, code: answer.code, message: answer.message, ...(answer.detail === undefined ? {} : { detail: answer.detail }) };
      const response = { data: body, status: answer.status, statusText: '', headers: {}, config };
      if (config.validateStatus && config.validateStatus(answer.status)) {
        const blob = config.responseType === 'blob' ? new Blob([JSON.stringify(response.data)], { type: 'application/json' }) : response.data;
        return { ...response, data: blob };
      }
      throw new AxiosError('refused', String(answer.status), config, {}, response);
    }
    let body = answer.data;
    if (config.responseType === 'blob' && !(body instanceof Blob)) body = new Blob([typeof body === 'string' ? body : JSON.stringify(body)]);
    return { data: body, status: answer.status, statusText: 'OK', headers: new AxiosHeaders(answer.headers), config };
  };
  api.defaults.adapter = adapter;
  onTestFinished(() => {
    api.defaults.adapter = original;
    positions.reset();
    tokenStore.clear();
  });
  return calls;
}
