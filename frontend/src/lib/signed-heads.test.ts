import { describe, expect, it } from 'vitest';

import { checkHead, headMessage } from './signed-heads';

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

async function signer() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  const pem = `-----BEGIN PUBLIC KEY-----\n${b64(spki)}\n-----END PUBLIC KEY-----\n`;
  const sign = async (head: { tree_size: number; root_hash: string; timestamp: string }) =>
    b64(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, headMessage(head) as Uint8Array<ArrayBuffer>));
  return { pem, sign };
}

describe('checkHead', () => {
  const base = { tree_size: 9, root_hash: 'ab'.repeat(32), timestamp: '2030-01-01T10:00:00.000Z', key_id: 'k1' };

  it('trusts a head whose signature verifies with a trusted key', async () => {
    const { pem, sign } = await signer();
    const head = { ...base, signature: await sign(base) };
    const keys = { key_id: 'k1', keys: [{ key_id: 'k1', algorithm: 'Ed25519', public_key: pem, first_used_at: null, retired_at: null }] };
    expect((await checkHead(head, keys)).verdict).toBe('trusted');
    expect((await checkHead({ ...head, tree_size: 10 }, keys)).verdict).toBe('bad-signature');
  });

  it('refuses an unknown key and a key used after its retirement', async () => {
    const { pem, sign } = await signer();
    const head = { ...base, signature: await sign(base) };
    const other = { key_id: 'k2', keys: [{ key_id: 'k2', algorithm: 'Ed25519', public_key: pem, first_used_at: null, retired_at: null }] };
    expect(await checkHead(head, other)).toMatchObject({ verdict: 'unknown-key', message: expect.stringContaining('k2') });
    const retired = { key_id: null, keys: [{ key_id: 'k1', algorithm: 'Ed25519', public_key: pem, first_used_at: null, retired_at: '2029-12-31T00:00:00.000Z' }] };
    expect((await checkHead(head, retired)).verdict).toBe('retired-key');
  });
});
