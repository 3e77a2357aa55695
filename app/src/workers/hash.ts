/** SHA-256 (hex) with the Web Crypto API, in the page and in workers. */
export async function sha256Hex(data: string | ArrayBufferView | ArrayBuffer): Promise<string> {
  const bytes =
    typeof data === "string"
      ? new TextEncoder().encode(data)
      : data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * SHA-256 (hex), or null where Web Crypto is unavailable: crypto.subtle exists only in secure
 * contexts (https, or a page served from 127.0.0.1 / localhost).
 */
export async function sha256OrNull(
  data: string | ArrayBufferView | ArrayBuffer,
): Promise<string | null> {
  try {
    return await sha256Hex(data);
  } catch {
    return null;
  }
}
