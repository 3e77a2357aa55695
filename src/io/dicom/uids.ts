/** DICOM UIDs: validity, and 2.25 UUID-derived UIDs (random, or reproducible from a seed). */

// ---------------------------------------------------------------------------------------------
// UIDs (PS3.5 9: components of digits without leading zeros, at most 64 characters).

export const UID_PATTERN = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && UID_PATTERN.test(uid);
}

/** FNV-1a (32 bit) over UTF-16 code units from a given start state, then murmur3's fmix32. */
export function lane(text: string, state: number): number {
  let h = state >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** 128 bits from four independently seeded lanes (not cryptographic; enough to keep UIDs apart). */
export function hash128(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  const starts = [0x811c9dc5, 0x9e3779b9, 0x7f4a7c15, 0x3c6ef372];
  starts.forEach((s, i) => {
    view.setUint32(4 * i, lane(`${i}:${text}:${text.length}`, s));
  });
  return out;
}

/**
 * The integer of a UUID built from 16 bytes: version (4 random, 8 custom/hash-based, RFC 9562) and
 * variant bits set, as PS3.5 B.2 derives 2.25 UIDs from UUIDs.
 */
export function uuidInteger(bytes: Uint8Array, version: 4 | 8): bigint {
  const b = bytes.slice();
  b[6] = (b[6]! & 0x0f) | (version << 4);
  b[8] = (b[8]! & 0x3f) | 0x80;
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

export function randomBytes16(): Uint8Array {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  return b;
}

/** root + "." + the number, cut to the low digits that fit in 64 characters. */
export function uidUnderRoot(root: string, n: bigint): string {
  const room = 64 - root.length - 1;
  let digits = n.toString();
  if (digits.length > room) digits = (n % 10n ** BigInt(room)).toString();
  return `${root}.${digits}`;
}

/**
 * A UID under `root` (default 2.25): from a hash of `seedText` when given (deterministic), else
 * random. Useful to share a study UID between series written separately.
 */
export function makeUid(seedText?: string, root = "2.25"): string {
  if (!isValidUid(root) || root.length > 40) throw new Error(`invalid UID root "${root}"`);
  const n =
    seedText === undefined ? uuidInteger(randomBytes16(), 4) : uuidInteger(hash128(seedText), 8);
  return uidUnderRoot(root, n);
}
