import { afterEach, describe, expect, it, vi } from 'vitest';

import { Answer, refuse, serveApi } from '@/testing/mock-api';

import { attachmentName, blobText, downloadFile } from './download';

function capture() {
  const saved: { blob: Blob; name: string }[] = [];
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (blob: Blob) => { saved.push({ blob, name: '' }); return 'blob:x'; }, revokeObjectURL: () => {} }));
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved[saved.length - 1].name = this.download;
  });
  return { saved, click };
}

describe('downloads', () => {
  afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); });

  it('reads the file name the server gives', () => {
    expect(attachmentName('attachment; filename="revenue-2030-01-01-2030-01-31.csv"')).toBe('revenue-2030-01-01-2030-01-31.csv');
    expect(attachmentName("attachment; filename*=UTF-8''ledger%20log.jsonl")).toBe('ledger log.jsonl');
    expect(attachmentName(undefined)).toBeUndefined();
  });

  it('saves the body under that name, asking with the same query', async () => {
    const calls = serveApi({
      'GET /audit/revenue.csv': new Answer('key,name\n', 200, { 'content-disposition': 'attachment; filename="revenue-a-b.csv"' }),
    });
    const { saved } = capture();
    await expect(downloadFile('/audit/revenue.csv', { params: { group: 'event' }, fallbackName: 'x.csv' })).resolves.toBe('revenue-a-b.csv');
    expect(calls[0].params).toEqual({ group: 'event' });
    expect(saved[0].name).toBe('revenue-a-b.csv');
    expect(await blobText(saved[0].blob)).toBe('key,name\n');
  });

  it("turns a refusal's JSON body, sent as a blob, into the API's code and message", async () => {
    serveApi({ 'GET /audit/export': refuse(404, 'EVENT_NOT_FOUND', 'No such event') });
    await expect(downloadFile('/audit/export', { fallbackName: 'x' })).rejects.toMatchObject({ code: 'EVENT_NOT_FOUND', message: 'No such event', status: 404 });
  });
});
