import { api, ApiError, normaliseError } from './api-client';

/** Hand a blob to the browser as a file called `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Save a value as a pretty-printed JSON file. */
export function saveJson(name: string, value: unknown): void {
  saveBlob(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }), name);
}

/** The file name a `Content-Disposition: attachment; filename="…"` header gives, if any. */
export function attachmentName(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1].trim();
}

/** A blob's text (FileReader where Blob.text is missing, as in older engines and jsdom). */
export function blobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

async function refusal(status: number, data: unknown): Promise<ApiError> {
  let body: unknown = data;
  if (data instanceof Blob) {
    const text = await blobText(data);
    try { body = JSON.parse(text); } catch { body = undefined; }
  }
  const found = body && typeof body === 'object' ? ((body as { error?: unknown }).error ?? body) as { code?: unknown; message?: unknown } : undefined;
  if (found && typeof found.code === 'string') {
    return new ApiError(found.code, typeof found.message === 'string' ? found.message : found.code, status);
  }
  return new ApiError(`HTTP_${status}`, `The server answered ${status}.`, status);
}

/**
 * GET an API path as a file (axios, blob) and save it under the name the server gives
 * (`Content-Disposition`), else `fallbackName`. Resolves with the name saved; a refusal
 * rejects with the API's code and message, read from the blob.
 */
export async function downloadFile(
  path: string, { params, fallbackName }: { params?: Record<string, unknown>; fallbackName: string },
): Promise<string> {
  let response;
  try {
    response = await api.get<Blob>(path, { params, responseType: 'blob', timeout: 120_000, validateStatus: () => true });
  } catch (error) {
    throw normaliseError(error);
  }
  if (response.status >= 400) throw await refusal(response.status, response.data);
  const name = attachmentName(response.headers['content-disposition']) ?? fallbackName;
  saveBlob(response.data, name);
  return name;
}
