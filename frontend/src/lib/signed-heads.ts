import type { Schemas, SignedHead } from '@/types/api';

type PublicKeys = Schemas['PublicKeys'];

/** What a signed head's check found: `trusted` only when a trusted key's signature verified. */
export interface HeadCheck {
  verdict: 'trusted' | 'trusted-key' | 'unknown-key' | 'retired-key' | 'bad-signature';
  message: string;
}

/** The bytes a head's signature covers (as `core/proofs/tree_heads.message` writes them). */
export function headMessage(head: Pick<SignedHead, 'tree_size' | 'root_hash' | 'timestamp'>): Uint8Array {
  return new TextEncoder().encode(`booking-ledger tree head v1\n${head.tree_size}\n${head.root_hash}\n${head.timestamp}\n`);
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** A public key (PEM, or base64 of its 32 raw bytes) as WebCrypto imports it. */
async function importKey(text: string): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle;
  if (text.includes('BEGIN PUBLIC KEY')) {
    const body = text.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '');
    return subtle.importKey('spki', base64Bytes(body), { name: 'Ed25519' }, false, ['verify']);
  }
  return subtle.importKey('raw', base64Bytes(text), { name: 'Ed25519' }, false, ['verify']);
}

/**
 * Whether a head is signed by one of the trusted keys while it was in use, as
 * `tools/verify_export.py` decides; the signature itself is checked with WebCrypto where the
 * browser has Ed25519 (else the verdict says the key is trusted and the file is to be checked offline).
 */
export async function checkHead(head: SignedHead, keys: PublicKeys): Promise<HeadCheck> {
  const key = keys.keys.find((k) => k.key_id === head.key_id);
  if (!key) {
    const known = keys.keys.map((k) => k.key_id).join(', ') || 'none';
    return { verdict: 'unknown-key', message: `Signed with key ${head.key_id}, which is not one of the trusted keys (${known}).` };
  }
  if (key.retired_at && head.timestamp > key.retired_at) {
    return { verdict: 'retired-key', message: `Signed at ${head.timestamp} with key ${head.key_id}, rotated out at ${key.retired_at}.` };
  }
  let valid: boolean;
  try {
    const imported = await importKey(key.public_key);
    valid = await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, imported, base64Bytes(head.signature), headMessage(head) as Uint8Array<ArrayBuffer>);
  } catch {
    return { verdict: 'trusted-key', message: `Signed with trusted key ${head.key_id}; this browser cannot check Ed25519 signatures: check the file offline.` };
  }
  return valid
    ? { verdict: 'trusted', message: `Signed by trusted key ${head.key_id}: the signature verifies.` }
    : { verdict: 'bad-signature', message: `The signature does not verify with key ${head.key_id}: the head was altered or forged.` };
}
