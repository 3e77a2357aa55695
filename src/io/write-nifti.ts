/**
 * NIfTI-1 writer (single file `.nii`, optionally gzip-compressed for `.nii.gz`), producing the
 * header ITK's NiftiImageIO writes (ITK 5.4 WriteImageInformation / SetNIfTIOrientationFromImageIO
 * with nifti1_io's nifti_make_orthog_mat44, nifti_mat33_polar and nifti_mat44_to_quatern, all in
 * the library's single precision):
 *  - LPS -> RAS: the rows of the orthogonalised matrix are (-d_x, -d_y, +d_z) of each direction
 *    column (2D: (-d_x, -d_y, 0) and the third axis (0, 0, 1));
 *  - qoffset / srow offsets = (-o_x, -o_y, o_z) as float32;
 *  - qform from that matrix (quaternion + qfac in pixdim[0]); sform = the same matrix with column
 *    j scaled by float32(spacing_j); qform_code = sform_code = 1 (SCANNER_ANAT);
 *  - pixdim[1..n] = float32(spacing), xyzt_units = mm + s (10), scl_slope 1, scl_inter 0,
 *    vox_offset 352, magic "n+1", little-endian, voxel type kept.
 * NIfTI stores geometry in float32, so spacing/origin/direction survive a round trip only to
 * float precision (exactly when they are float-representable and axis-aligned).
 */
import { type Volume, type VoxelType, voxelCount, voxelTypeOf } from "../image/volume.js";
import { gzip } from "./gzip.js";
import { HOST_LITTLE_ENDIAN, ImageWriteError, swapBytesInPlace } from "./image-error.js";

const NIFTI_CODES: Record<VoxelType, number> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float: 16,
  double: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
};

export interface WriteNiftiOptions {
  /** gzip the whole file (for `.nii.gz`). Default false. */
  compress?: boolean;
  /** Name used in error messages. */
  file?: string;
  /** Written into the 80-character `descrip` field. */
  description?: string;
}

const f = Math.fround;
type M33 = number[][];

function determ33(r: M33): number {
  const [a, b, c] = r as [number[], number[], number[]];
  return f(
    a[0]! * b[1]! * c[2]! -
      a[0]! * c[1]! * b[2]! -
      b[0]! * a[1]! * c[2]! +
      b[0]! * c[1]! * a[2]! +
      c[0]! * a[1]! * b[2]! -
      c[0]! * b[1]! * a[2]!,
  );
}

function inverse33(r: M33): M33 {
  const [r11, r12, r13] = r[0]!;
  const [r21, r22, r23] = r[1]!;
  const [r31, r32, r33] = r[2]!;
  let deti =
    r11! * r22! * r33! -
    r11! * r32! * r23! -
    r21! * r12! * r33! +
    r21! * r32! * r13! +
    r31! * r12! * r23! -
    r31! * r22! * r13!;
  if (deti !== 0) deti = 1.0 / deti;
  return [
    [
      f(deti * (r22! * r33! - r32! * r23!)),
      f(deti * (-r12! * r33! + r32! * r13!)),
      f(deti * (r12! * r23! - r22! * r13!)),
    ],
    [
      f(deti * (-r21! * r33! + r31! * r23!)),
      f(deti * (r11! * r33! - r31! * r13!)),
      f(deti * (-r11! * r23! + r21! * r13!)),
    ],
    [
      f(deti * (r21! * r32! - r31! * r22!)),
      f(deti * (-r11! * r32! + r31! * r12!)),
      f(deti * (r11! * r22! - r21! * r12!)),
    ],
  ];
}

function rowNorm(a: M33): number {
  let best = 0;
  for (const row of a) {
    const s = f(Math.abs(row[0]!) + Math.abs(row[1]!) + Math.abs(row[2]!));
    if (best < s) best = s;
  }
  return best;
}

function colNorm(a: M33): number {
  let best = 0;
  for (let j = 0; j < 3; j++) {
    const s = f(Math.abs(a[0]![j]!) + Math.abs(a[1]![j]!) + Math.abs(a[2]![j]!));
    if (best < s) best = s;
  }
  return best;
}

/** nifti_mat33_polar: the orthogonal matrix closest to A (Higham's iteration, float32). */
export function polar33(input: M33): M33 {
  let x = input.map((row) => row.map(f));
  let gam = determ33(x);
  while (gam === 0) {
    gam = f(0.00001 * (0.001 + rowNorm(x)));
    x = x.map((row, i) => row.map((v, j) => (i === j ? f(v + gam) : v)));
    gam = determ33(x);
  }
  let dif = 1.0;
  let k = 0;
  let z: M33 = x;
  for (;;) {
    const y = inverse33(x);
    let g: number;
    let gi: number;
    if (dif > 0.3) {
      const alp = f(Math.sqrt(f(rowNorm(x) * colNorm(x))));
      const bet = f(Math.sqrt(f(rowNorm(y) * colNorm(y))));
      g = f(Math.sqrt(f(bet / alp)));
      gi = f(1.0 / g);
    } else {
      g = 1;
      gi = 1;
    }
    z = [0, 1, 2].map((i) =>
      [0, 1, 2].map((j) => f(0.5 * f(f(g * x[i]![j]!) + f(gi * y[j]![i]!)))),
    );
    let d = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) d += Math.abs(f(z[i]![j]! - x[i]![j]!));
    dif = f(d);
    k += 1;
    if (k > 100 || dif < 3e-6) break;
    x = z;
  }
  return z;
}

/** nifti_make_orthog_mat44 (3x3 part): normalise the three rows, then orthogonalise them. */
function makeOrthog(rows: M33): M33 {
  const q = rows.map((row) => row.map(f));
  for (let r = 0; r < 3; r++) {
    const row = q[r]!;
    const val = f(f(f(row[0]! * row[0]!) + f(row[1]! * row[1]!)) + f(row[2]! * row[2]!));
    if (val > 0) {
      const s = f(1.0 / Math.sqrt(val));
      for (let c = 0; c < 3; c++) row[c] = f(row[c]! * s);
    } else if (r === 2) {
      const [a, b] = q as [number[], number[]];
      q[2] = [
        f(f(a[1]! * b[2]!) - f(a[2]! * b[1]!)),
        f(f(a[2]! * b[0]!) - f(a[0]! * b[2]!)),
        f(f(a[0]! * b[1]!) - f(a[1]! * b[0]!)),
      ];
    } else {
      q[r] = r === 0 ? [1, 0, 0] : [0, 1, 0];
    }
  }
  return polar33(q);
}

/** nifti_mat44_to_quatern: quaternion (b, c, d) and qfac of the rotation part of R. */
export function mat33ToQuatern(m: M33): { b: number; c: number; d: number; qfac: number } {
  let [r11, r12, r13] = m[0]! as [number, number, number];
  let [r21, r22, r23] = m[1]! as [number, number, number];
  let [r31, r32, r33] = m[2]! as [number, number, number];
  let xd = Math.sqrt(r11 * r11 + r21 * r21 + r31 * r31);
  let yd = Math.sqrt(r12 * r12 + r22 * r22 + r32 * r32);
  let zd = Math.sqrt(r13 * r13 + r23 * r23 + r33 * r33);
  if (xd === 0) [r11, r21, r31, xd] = [1, 0, 0, 1];
  if (yd === 0) [r22, r12, r32, yd] = [1, 0, 0, 1];
  if (zd === 0) [r33, r13, r23, zd] = [1, 0, 0, 1];
  const p = polar33([
    [r11 / xd, r12 / yd, r13 / zd],
    [r21 / xd, r22 / yd, r23 / zd],
    [r31 / xd, r32 / yd, r33 / zd],
  ]);
  [r11, r12, r13] = p[0]! as [number, number, number];
  [r21, r22, r23] = p[1]! as [number, number, number];
  [r31, r32, r33] = p[2]! as [number, number, number];
  zd =
    r11 * r22 * r33 -
    r11 * r32 * r23 -
    r21 * r12 * r33 +
    r21 * r32 * r13 +
    r31 * r12 * r23 -
    r31 * r22 * r13;
  let qfac = 1;
  if (!(zd > 0)) {
    qfac = -1;
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1.0;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const x4 = 1.0 + r11 - (r22 + r33);
    const y4 = 1.0 + r22 - (r11 + r33);
    const z4 = 1.0 + r33 - (r11 + r22);
    if (x4 > 1.0) {
      b = 0.5 * Math.sqrt(x4);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (y4 > 1.0) {
      c = 0.5 * Math.sqrt(y4);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(z4);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b: f(b), c: f(c), d: f(d), qfac };
}

/** Serialises a volume as a NIfTI-1 single file (ITK's header conventions, see module comment). */
export async function writeNifti(
  volume: Volume,
  options: WriteNiftiOptions = {},
): Promise<Uint8Array> {
  const [header, payload] = niftiParts(volume, options);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return options.compress ? gzip(out) : out;
}

/**
 * An uncompressed NIfTI-1 file as two parts: the 352-byte header (with the 4-byte extension
 * flag) and the voxels as a view of the volume's own array (little-endian hosts; no copy), so a
 * file writer can write both without joining them in memory.
 */
export function niftiParts(
  volume: Volume,
  options: WriteNiftiOptions = {},
): [Uint8Array, Uint8Array] {
  const file = options.file ?? "<nifti>";
  const { size, spacing, origin, direction: dir, dimension, data } = volume;
  const n = voxelCount(size);
  if (data.length !== n) {
    throw new ImageWriteError(
      file,
      `voxel count ${data.length} does not match size ${size.join("x")}`,
    );
  }
  for (let i = 0; i < 3; i++) {
    if (size[i]! > 32767) {
      throw new ImageWriteError(
        file,
        `size ${size[i]} along axis ${i} exceeds NIfTI-1's limit of 32767`,
      );
    }
  }
  if (![...spacing, ...origin, ...dir].every(Number.isFinite)) {
    throw new ImageWriteError(file, "geometry (spacing, origin, direction) must be finite");
  }
  const type = voxelTypeOf(data);
  const three = dimension === 3;

  // rows handed to nifti_make_orthog_mat44: the RAS images of the LPS direction columns
  const col = (c: number) => [dir[c]!, dir[3 + c]!, dir[6 + c]!];
  const rows: M33 = three
    ? [0, 1, 2].map((c) => {
        const v = col(c);
        return [f(-v[0]!), f(-v[1]!), -f(-v[2]!)];
      })
    : [
        [f(-dir[0]!), f(-dir[3]!), 0],
        [f(-dir[1]!), f(-dir[4]!), 0],
        [0, 0, 1],
      ];
  const p = makeOrthog(rows);
  // mat44_transpose: columns of the matrix are the orthogonalised rows
  const m: M33 = [0, 1, 2].map((i) => [0, 1, 2].map((j) => p[j]![i]!));
  const offset = [f(-origin[0]), f(-origin[1]), three ? f(origin[2]) : 0];
  const q = mat33ToQuatern(m);
  const pix = [f(spacing[0]), f(spacing[1]), three ? f(spacing[2]) : 1];
  const limit = three ? 3 : 2;
  const srow = [0, 1, 2].map((i) => [
    ...[0, 1, 2].map((j) => (i < limit && j < limit ? f(pix[j]! * m[i]![j]!) : m[i]![j]!)),
    offset[i]!,
  ]);

  const bytesPer = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(352);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  out[38] = "r".charCodeAt(0);
  const dims = [dimension, size[0], size[1], three ? size[2] : 1, 1, 1, 1, 1];
  dims.forEach((d, i) => {
    v.setInt16(40 + 2 * i, d, true);
  });
  v.setInt16(70, NIFTI_CODES[type], true);
  v.setInt16(72, 8 * bytesPer, true);
  const pixdim = [q.qfac, pix[0]!, pix[1]!, pix[2]!, 0, 0, 0, 0];
  pixdim.forEach((x, i) => {
    v.setFloat32(76 + 4 * i, x, true);
  });
  v.setFloat32(108, 352, true);
  v.setFloat32(112, 1, true);
  v.setFloat32(116, 0, true);
  out[123] = 2 | 8;
  if (options.description) {
    const d = options.description.slice(0, 79);
    for (let i = 0; i < d.length; i++) out[148 + i] = d.charCodeAt(i) & 0xff;
  }
  v.setInt16(252, 1, true);
  v.setInt16(254, 1, true);
  v.setFloat32(256, q.b, true);
  v.setFloat32(260, q.c, true);
  v.setFloat32(264, q.d, true);
  v.setFloat32(268, offset[0]!, true);
  v.setFloat32(272, offset[1]!, true);
  v.setFloat32(276, offset[2]!, true);
  srow.forEach((row, r) => {
    row.forEach((x, c) => {
      v.setFloat32(280 + 16 * r + 4 * c, x, true);
    });
  });
  out.set([0x6e, 0x2b, 0x31, 0], 344);
  let payload = new Uint8Array(data.buffer, data.byteOffset, n * bytesPer);
  if (!HOST_LITTLE_ENDIAN) {
    payload = payload.slice();
    swapBytesInPlace(payload, bytesPer);
  }
  return [out, payload];
}
