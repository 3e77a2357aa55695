/**
 * Whether bytes are DICOM, from their first 132 bytes: the Part 10 "DICM" marker, or a bare
 * little-endian data set (no preamble). A module without dependencies, so that the Node edge can
 * ask before loading the DICOM reader.
 */

/** The Part 10 marker: "DICM" after the 128-byte preamble. */
export function hasPreamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 && // D
    bytes[129] === 0x49 && // I
    bytes[130] === 0x43 && // C
    bytes[131] === 0x4d // M
  );
}

/**
 * Whether the bytes start like a DICOM dataset without the Part 10 preamble: a little-endian
 * element of group 0002 or 0008 (the groups every image or RT object starts with).
 */
export function looksLikeBareDataset(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const group = bytes[0]! | (bytes[1]! << 8);
  return group === 0x0002 || group === 0x0008;
}

/** True when the bytes are a DICOM Part 10 file or a bare little-endian DICOM dataset. */
export function isDicom(bytes: Uint8Array): boolean {
  return hasPreamble(bytes) || looksLikeBareDataset(bytes);
}
