/**
 * RLE Lossless (transfer syntax 1.2.840.10008.1.2.5) frame decoding, written from DICOM PS3.5
 * Annex G ("Encapsulated RLE Compressed Images").
 *
 * A frame is a 64-byte header followed by up to 15 RLE segments (G.5):
 *  - header: 16 little-endian 32-bit words; word 0 is the number of segments, words 1..15 the byte
 *    offset of each segment from the start of the header (the first is 64; unused ones are 0);
 *  - each segment is one byte plane of the image, PackBits-compressed (G.3.1): a header byte n in
 *    0..127 copies the next n + 1 bytes literally, n in -127..-1 (129..255 unsigned) repeats the
 *    next byte -n + 1 times, and n = -128 (128) is a no-op;
 *  - segment order (G.2): for each sample (colour component) in turn, its bytes from the most
 *    significant to the least significant. A 16-bit greyscale frame thus has two segments (high
 *    bytes, then low bytes); 8-bit RGB has three (R, G, B); 16-bit RGB six (R hi, R lo, G hi, ...).
 *
 * The decoded planes are reassembled into one stored value per sample, samples interleaved per
 * pixel (colour-by-pixel) whatever Planar Configuration says, as every other decoder here returns.
 * BitsAllocated 1 (e.g. binary segmentations) is compressed from the native packed bit stream
 * (PS3.5 8.1.1: first pixel in the least significant bit), so its single segment decodes to
 * ceil(rows x columns / 8) bytes that are unpacked to one 0/1 value per pixel.
 *
 * Every read is bounds-checked against the segment and every write against the plane, so corrupt
 * data raises an error and never loops or writes out of range. A segment that decodes to more
 * bytes than its plane holds is accepted (the surplus is dropped): some encoders pad a segment with
 * an extra run, and pydicom and GDCM read such files too. A segment that decodes to fewer is an
 * error.
 */
import { allocateFrame, type FrameArray, type PixelModule } from "./pixels.js";

const RLE_HEADER_BYTES = 64;
const RLE_MAX_SEGMENTS = 15;

/** The segment offsets of an RLE frame header (PS3.5 G.5), validated against the frame length. */
export function readRleHeader(bytes: Uint8Array): number[] {
  if (bytes.length < RLE_HEADER_BYTES) {
    throw new Error(`RLE frame is ${bytes.length} bytes, shorter than its 64-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, RLE_HEADER_BYTES);
  const count = view.getUint32(0, true);
  if (count < 1 || count > RLE_MAX_SEGMENTS) {
    throw new Error(`RLE header announces ${count} segments (must be 1 to ${RLE_MAX_SEGMENTS})`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(4 + 4 * i, true);
    const previous = i === 0 ? RLE_HEADER_BYTES - 1 : offsets[i - 1]!;
    if (offset <= previous || offset >= bytes.length) {
      throw new Error(
        `RLE segment ${i + 1} offset ${offset} is invalid (segments must start after the 64-byte header, in increasing order, inside the ${bytes.length}-byte frame)`,
      );
    }
    offsets.push(offset);
  }
  return offsets;
}

/**
 * PackBits-decodes `src[start, end)` into `dst[0, dst.length)` (PS3.5 G.3.1) and returns the number
 * of bytes written. Stops once `dst` is full; throws when a run announces more input than the
 * segment holds.
 */
export function unpackBits(src: Uint8Array, start: number, end: number, dst: Uint8Array): number {
  let i = start;
  let o = 0;
  const outEnd = dst.length;
  while (i < end && o < outEnd) {
    const n = src[i++]!;
    if (n < 128) {
      // Literal run of n + 1 bytes.
      const count = n + 1;
      if (i + count > end) {
        throw new Error(
          `RLE literal run of ${count} bytes at byte ${i - 1} runs past the end of its segment (byte ${end})`,
        );
      }
      const take = Math.min(count, outEnd - o);
      dst.set(src.subarray(i, i + take), o);
      i += count;
      o += take;
    } else if (n > 128) {
      // Replicate run: the next byte 257 - n times (n is -(count - 1) as a signed byte).
      if (i >= end) {
        throw new Error(`RLE replicate run at byte ${i - 1} has no byte to repeat (segment ends)`);
      }
      const value = src[i++]!;
      const take = Math.min(257 - n, outEnd - o);
      dst.fill(value, o, o + take);
      o += take;
    }
    // n === 128 (-128): no operation.
  }
  return o;
}

/**
 * Decodes one RLE Lossless frame to rows x columns x samplesPerPixel stored values (samples
 * interleaved per pixel) in the frame array type of the pixel module.
 */
export function decodeRleFrame(bytes: Uint8Array, pm: PixelModule): FrameArray {
  const pixels = pm.rows * pm.columns;
  const spp = pm.samplesPerPixel;
  const bytesPerSample = pm.bitsAllocated === 1 ? 1 : pm.bitsAllocated / 8;
  if (pm.bitsAllocated === 1 && spp !== 1) {
    throw new Error(`RLE with BitsAllocated 1 needs SamplesPerPixel 1, not ${spp}`);
  }
  const offsets = readRleHeader(bytes);
  const expected = spp * bytesPerSample;
  if (offsets.length !== expected) {
    throw new Error(
      `RLE frame holds ${offsets.length} segments, expected ${expected} (${spp} sample(s) x ${bytesPerSample} byte(s))`,
    );
  }
  const planeBytes = pm.bitsAllocated === 1 ? Math.ceil(pixels / 8) : pixels;
  const plane = new Uint8Array(planeBytes);
  const out = allocateFrame(pm, pixels * spp);

  for (let seg = 0; seg < offsets.length; seg++) {
    const start = offsets[seg]!;
    const end = seg + 1 < offsets.length ? offsets[seg + 1]! : bytes.length;
    const written = unpackBits(bytes, start, end, plane);
    if (written < planeBytes) {
      throw new Error(
        `RLE segment ${seg + 1} decodes to ${written} bytes, expected ${planeBytes} (truncated or corrupt data)`,
      );
    }
    if (pm.bitsAllocated === 1) {
      for (let p = 0; p < pixels; p++) out[p] = (plane[p >>> 3]! >>> (p & 7)) & 1;
      continue;
    }
    const sample = Math.floor(seg / bytesPerSample);
    // Segments of one sample come most significant byte first (G.2).
    const shift = 8 * (bytesPerSample - 1 - (seg % bytesPerSample));
    if (bytesPerSample === 1) {
      if (spp === 1) out.set(plane);
      else for (let p = 0; p < pixels; p++) out[p * spp + sample] = plane[p]!;
    } else if (shift === 8 * (bytesPerSample - 1)) {
      // First (most significant) byte: assign, so the zero-filled frame needs no clearing.
      for (let p = 0; p < pixels; p++) out[p * spp + sample] = plane[p]! << shift;
    } else {
      // Lower bytes are OR-ed in. Reading a signed element back sign-extends it, which leaves the
      // low bits of the two's complement pattern intact, so the stored value wraps correctly.
      for (let p = 0; p < pixels; p++) {
        const k = p * spp + sample;
        out[k] = out[k]! | (plane[p]! << shift);
      }
    }
  }
  return out;
}
