/**
 * NIfTI-1 / NIfTI-2 reader (`.nii`, `.nii.gz`, `.hdr` + `.img` pairs, Analyze 7.5 headers), giving
 * the image SimpleITK gets from ITK's NiftiImageIO.
 *
 * The header is decoded as nifti1_io's nifti_convert_nhdr2nim does (bad dim[i] -> 1, zero or
 * non-finite pixdim -> 1, qfac = pixdim[0] < 0 ? -1 : 1, qto_xyz from the quaternion with
 * nifti_quatern_to_mat44 in single precision, sto_xyz from srow_* when sform_code > 0), then ITK's
 * rules apply (Modules/IO/NIFTI/src/itkNiftiImageIO.cxx, ITK 5.4, ReadImageInformation and
 * SetImageIOOrientationFromNIfTI):
 *  - dimension: dim[0], lowered while it is > 3 and the last extent is 1 (so dim[0] = 2 is a 2D
 *    image, dim[0] = 3 with nz = 1 is a 3D image one slice thick, 4D with nt = 1 is 3D);
 *  - spacing = pixdim[1..3] times the unit factor (metre 1e3, mm 1, micron 1e-3);
 *  - qform_code = sform_code = 0: origin 0, direction identity;
 *  - otherwise the sform is used when it is an affine, orthonormal-after-normalising matrix and
 *    (qform_code = 0, or sform_code = SCANNER_ANAT, or qform and sform are numerically the same
 *    transform), else the qform; no usable transform -> error;
 *  - RAS -> LPS: origin = (-m03, -m13, m23) * unit factor, direction column k = normalised
 *    (-m0k, -m1k, m2k);
 *  - scl_slope / scl_inter (NIfTI only, slope 0 -> 1): applied when slope != 1 or inter != 0;
 *    integer voxels are first cast to float32 and the result is float32 (v * slope + inter in
 *    double, stored as float), float32 stays float32 and float64 stays float64;
 *  - 64-bit integers, complex, RGB/RGBA, vector and matrix intents are refused with a clear error.
 * NIfTI-2 (which ITK's nifti1_io does not read) follows the same rules with its double-precision
 * fields, as nifti2_io keeps them.
 */
import type { Mat3, Vec3, Volume, VoxelArray, VoxelType } from "../image/volume.js";
import {
  ImageReadError,
  type ResolveDataFile,
  VOXEL_BYTES,
  decodeVoxels,
  decompressOrFail,
} from "./image-error.js";
import { isGzip } from "./gzip.js";

/** The NIfTI header fields radscore uses (numbers as stored; NIfTI-1 floats are exact floats). */
export interface NiftiHeader {
  /** 1 or 2 for NIfTI-1 / NIfTI-2, 0 for an Analyze 7.5 header. */
  version: 0 | 1 | 2;
  /** True when header and data share one file (magic n+1 / n+2). */
  singleFile: boolean;
  littleEndian: boolean;
  dim: number[];
  pixdim: number[];
  datatype: number;
  bitpix: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  xyztUnits: number;
  intentCode: number;
  qformCode: number;
  sformCode: number;
  quatern: [number, number, number];
  qoffset: [number, number, number];
  srow: [number[], number[], number[]];
  descrip: string;
}

const DATATYPES: Record<number, VoxelType | string> = {
  2: "uint8",
  4: "int16",
  8: "int32",
  16: "float",
  64: "double",
  256: "int8",
  512: "uint16",
  768: "uint32",
  0: "unknown (DT_UNKNOWN)",
  1: "binary (DT_BINARY)",
  32: "complex64",
  128: "RGB24",
  1024: "int64",
  1280: "uint64",
  1536: "float128",
  1792: "complex128",
  2048: "complex256",
  2304: "RGBA32",
};

/** Decodes a NIfTI-1 (348-byte), NIfTI-2 (540-byte) or Analyze 7.5 header. */
export function parseNiftiHeader(bytes: Uint8Array, file: string): NiftiHeader {
  if (bytes.length < 348) {
    throw new ImageReadError(
      file,
      `not a NIfTI file (only ${bytes.length} bytes, header needs 348)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le32 = view.getInt32(0, true);
  const be32 = view.getInt32(0, false);
  let little: boolean;
  let two: boolean;
  if (le32 === 348 || le32 === 540) {
    little = true;
    two = le32 === 540;
  } else if (be32 === 348 || be32 === 540) {
    little = false;
    two = be32 === 540;
  } else {
    throw new ImageReadError(
      file,
      `not a NIfTI file (sizeof_hdr is ${le32}, expected 348 or 540) - corrupt or unknown header`,
    );
  }
  if (two) return parseNifti2(view, bytes, file, little);
  const i16 = (o: number) => view.getInt16(o, little);
  const f32 = (o: number) => view.getFloat32(o, little);
  const magic = String.fromCharCode(...bytes.subarray(344, 348));
  const isNifti =
    magic[0] === "n" &&
    magic[3] === "\0" &&
    (magic[1] === "i" || magic[1] === "+") &&
    magic[2]! >= "1" &&
    magic[2]! <= "9";
  const dim = Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i));
  const pixdim = Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i));
  return {
    version: isNifti ? 1 : 0,
    singleFile: isNifti && magic[1] === "+",
    littleEndian: little,
    dim,
    pixdim,
    datatype: i16(70),
    bitpix: i16(72),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    xyztUnits: bytes[123]!,
    intentCode: i16(68),
    qformCode: isNifti ? i16(252) : 0,
    sformCode: isNifti ? i16(254) : 0,
    quatern: [f32(256), f32(260), f32(264)],
    qoffset: [f32(268), f32(272), f32(276)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))) as [
      number[],
      number[],
      number[],
    ],
    descrip: cString(bytes.subarray(148, 228)),
  };
}

function parseNifti2(
  view: DataView,
  bytes: Uint8Array,
  file: string,
  little: boolean,
): NiftiHeader {
  if (bytes.length < 540) {
    throw new ImageReadError(file, `truncated NIfTI-2 header (${bytes.length} of 540 bytes)`);
  }
  const i16 = (o: number) => view.getInt16(o, little);
  const i32 = (o: number) => view.getInt32(o, little);
  const i64 = (o: number) => Number(view.getBigInt64(o, little));
  const f64 = (o: number) => view.getFloat64(o, little);
  const magic = String.fromCharCode(...bytes.subarray(4, 8));
  if (!(magic === "n+2\0" || magic === "ni2\0")) {
    throw new ImageReadError(file, `corrupt NIfTI-2 header (magic "${magic.replace(/\0/g, "")}")`);
  }
  return {
    version: 2,
    singleFile: magic[1] === "+",
    littleEndian: little,
    dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    datatype: i16(12),
    bitpix: i16(14),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    xyztUnits: i32(500),
    intentCode: i32(504),
    qformCode: i32(344),
    sformCode: i32(348),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))) as [
      number[],
      number[],
      number[],
    ],
    descrip: cString(bytes.subarray(240, 320)),
  };
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return String.fromCharCode(...(end >= 0 ? bytes.subarray(0, end) : bytes));
}

type Mat44 = number[][];

/**
 * nifti_quatern_to_mat44: rotation from the quaternion (b, c, d) with a = sqrt(1 - b^2 - c^2 - d^2)
 * (a = 0 and (b, c, d) normalised when 1 - |.|^2 < 1e-7), columns scaled by dx, dy, qfac * dz
 * (non-positive spacings taken as 1), offsets qoffset; entries rounded by `r` (float for NIfTI-1).
 */
export function quaternToMat44(
  q: [number, number, number],
  offset: [number, number, number],
  dx: number,
  dy: number,
  dz: number,
  qfac: number,
  r: (x: number) => number = Math.fround,
): Mat44 {
  let [b, c, d] = q;
  let a = 1.0 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    a = 1.0 / Math.sqrt(b * b + c * c + d * d);
    b *= a;
    c *= a;
    d *= a;
    a = 0.0;
  } else {
    a = Math.sqrt(a);
  }
  const xd = dx > 0 ? dx : 1.0;
  const yd = dy > 0 ? dy : 1.0;
  let zd = dz > 0 ? dz : 1.0;
  if (qfac < 0) zd = -zd;
  return [
    [
      r((a * a + b * b - c * c - d * d) * xd),
      r(2.0 * (b * c - a * d) * yd),
      r(2.0 * (b * d + a * c) * zd),
      r(offset[0]),
    ],
    [
      r(2.0 * (b * c + a * d) * xd),
      r((a * a + c * c - b * b - d * d) * yd),
      r(2.0 * (c * d - a * b) * zd),
      r(offset[1]),
    ],
    [
      r(2.0 * (b * d - a * c) * xd),
      r(2.0 * (c * d + a * b) * yd),
      r((a * a + d * d - c * c - b * b) * zd),
      r(offset[2]),
    ],
    [0, 0, 0, 1],
  ];
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a small symmetric matrix (cyclic Jacobi). */
function symmetricEigen(input: number[][]): { values: number[]; vectors: number[][] } {
  const n = input.length;
  const a = input.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! * a[p]![q]!;
    if (off === 0 || !Number.isFinite(off)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = cs * akp - sn * akq;
          a[k]![q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = cs * apk - sn * aqk;
          a[q]![k] = sn * apk + cs * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = cs * vkp - sn * vkq;
          v[k]![q] = sn * vkp + cs * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]!), vectors: v };
}

function transposeTimes(m: number[][]): number[][] {
  const n = m.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[k]![i]! * m[k]![j]!;
      return s;
    }),
  );
}

/** Singular values of a square matrix, largest first (square roots of eig(M^T M)). */
function singularValues(m: number[][]): number[] {
  return symmetricEigen(transposeTimes(m))
    .values.map((x) => Math.sqrt(Math.max(0, x)))
    .sort((x, y) => y - x);
}

/** Inverse by Gauss-Jordan elimination with partial pivoting; undefined when singular. */
function inverse(m: number[][]): number[][] | undefined {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (a[pivot]![col] === 0) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    for (let k = 0; k < 2 * n; k++) a[col]![k]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f === 0) continue;
      for (let k = 0; k < 2 * n; k++) a[r]![k] = a[r]![k]! - f * a[col]![k]!;
    }
  }
  return a.map((row) => row.slice(n));
}

const FLOAT_EPS = 1.1920928955078125e-7;
const DOUBLE_EPS = 2.220446049250313e-16;

/** ITK's IsAffine: bottom row (0,0,0,1), well conditioned, consistent 4x4 vs 3x3 inverses. */
function isAffine(m: Mat44): boolean {
  let bottom = Math.abs(m[3]![3]! - 1);
  for (let i = 0; i < 3; i++) bottom += Math.abs(m[3]![i]!);
  if (bottom > FLOAT_EPS) return false;
  const sv = singularValues(m);
  if (!(sv[sv.length - 1]! / sv[0]! > DOUBLE_EPS)) return false;
  const inv4 = inverse(m);
  const top = m.slice(0, 3).map((row) => row.slice(0, 3));
  const inv3 = inverse(top);
  if (!inv4 || !inv3) return false;
  let matrixDiff = 0;
  for (let j = 0; j < 3; j++) {
    let col = 0;
    for (let i = 0; i < 3; i++) col += Math.abs(inv4[i]![j]! - inv3[i]![j]!);
    matrixDiff = Math.max(matrixDiff, col);
  }
  let translationDiff = 0;
  for (let i = 0; i < 3; i++) {
    let t = 0;
    for (let k = 0; k < 3; k++) t -= inv3[i]![k]! * m[k]![3]!;
    translationDiff += Math.abs(inv4[i]![3]! - t);
  }
  return !(matrixDiff > 1e-2 || translationDiff > 1e-2);
}

function isIdentity(m: number[][], tol: number): boolean {
  return m.every((row, i) => row.every((x, j) => Math.abs(x - (i === j ? 1 : 0)) <= tol));
}

function times(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
}

function transpose(a: number[][]): number[][] {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

/** Columns normalised to unit length (a zero column stays zero). */
function normaliseColumns(m: number[][]): number[][] {
  const out = m.map((row) => [...row]);
  for (let j = 0; j < m[0]!.length; j++) {
    let s = 0;
    for (const row of m) s += row[j]! * row[j]!;
    const n = Math.sqrt(s);
    if (n > 0) for (const row of out) row[j] = row[j]! / n;
  }
  return out;
}

/** ITK's sform_decomposable_without_skew: affine and orthonormal once the columns are normalised. */
function sformDecomposable(sto: Mat44): boolean {
  if (!isAffine(sto)) return false;
  const r = normaliseColumns(sto.slice(0, 3).map((row) => row.slice(0, 3)));
  return isIdentity(times(r, transpose(r)), 1e-4);
}

/** Orthogonal polar factor U V^T of a 3x3 matrix (via eig(M^T M)). */
function polarFactor(m: number[][]): number[][] | undefined {
  const { values, vectors } = symmetricEigen(transposeTimes(m));
  if (values.some((x) => !(x > 0))) return undefined;
  // (M^T M)^(-1/2) = V diag(1/sqrt(l)) V^T; polar factor = M (M^T M)^(-1/2)
  const inner = vectors.map((row) =>
    vectors.map((_, j) =>
      row.reduce((s, x, k) => s + (x * vectors[j]![k]!) / Math.sqrt(values[k]!), 0),
    ),
  );
  return times(m, inner);
}

/**
 * ITK 5.4's sform_and_qform_are_very_similar: same singular values (1e-4), same rotation (the SVD
 * factor U_s U_q^-1 is the identity to 1e-4; compared here through the orthogonal polar factors,
 * which agree with it whenever U is well defined), same offsets and bottom rows (1e-4).
 */
function sformQformVerySimilar(sto: Mat44, qto: Mat44): boolean {
  const s3 = sto.slice(0, 3).map((row) => row.slice(0, 3));
  const q3 = qto.slice(0, 3).map((row) => row.slice(0, 3));
  const ss = singularValues(s3);
  const qs = singularValues(q3);
  if (ss.some((x, i) => Math.abs(x - qs[i]!) > 1e-4)) return false;
  const ps = polarFactor(s3);
  const pq = polarFactor(q3);
  if (!ps || !pq || !isIdentity(times(ps, transpose(pq)), 1e-4)) return false;
  for (let i = 0; i < 3; i++) if (Math.abs(sto[i]![3]! - qto[i]![3]!) > 1e-4) return false;
  for (let j = 0; j < 4; j++) if (Math.abs(sto[3]![j]! - qto[3]![j]!) > 1e-4) return false;
  return true;
}

/** ITK's choice between sform and qform (SetImageIOOrientationFromNIfTI, ITK 5.4, non-permissive). */
export function chooseNiftiTransform(
  qformCode: number,
  sformCode: number,
  qto: Mat44,
  sto: Mat44,
): "sform" | "qform" | "none" {
  let similar = true;
  for (let i = 0; i < 3 && similar; i++) {
    for (let j = 0; j < 3; j++) if (Math.abs(sto[i]![j]! - qto[i]![j]!) > 1e-5) similar = false;
  }
  if (similar) {
    let t = 0;
    for (let i = 0; i < 4; i++) t += Math.abs(sto[i]![3]! - qto[i]![3]!);
    if (t > 1e-7) similar = false;
  }
  if (similar) {
    let t = 0;
    for (let j = 0; j < 4; j++) t += Math.abs(sto[3]![j]! - qto[3]![j]!);
    if (t > 1e-7) similar = false;
  }
  let preferSform = similar;
  if (!preferSform || sformCode !== 0) {
    if (sformDecomposable(sto)) {
      if (qformCode === 0 && sformCode !== 0) preferSform = true;
      else if (sformCode === 1) preferSform = true;
      else if (qformCode !== 0 && sformCode !== 0) preferSform = sformQformVerySimilar(sto, qto);
    }
  }
  if (preferSform) return "sform";
  if (qformCode !== 0) return "qform";
  return "none";
}

/**
 * Reads a NIfTI image into a Volume with ITK's geometry and voxel type. `file` names the input
 * (its extension tells `.hdr`/`.img` pairs apart); `resolve` loads the partner file of a pair.
 */
export async function readNifti(
  bytes: Uint8Array,
  file = "<nifti>",
  resolve?: ResolveDataFile,
): Promise<Volume> {
  const lower = file.toLowerCase();
  const stem = file.replace(/\.(hdr|img|nii)(\.gz)?$/i, "");
  let headerBytes = bytes;
  let headerFile = file;
  let imageBytes: Uint8Array | undefined;
  let imageFile = file;
  const partner = async (ext: string, original: string): Promise<Uint8Array> => {
    if (!resolve) {
      throw new ImageReadError(file, `cannot load the ${ext} partner file (no resolver was given)`);
    }
    const candidates = [`${baseName(stem)}${ext}`, `${baseName(stem)}${ext}.gz`];
    if (original === original.toUpperCase())
      candidates.unshift(`${baseName(stem)}${ext.toUpperCase()}`);
    let firstError: unknown;
    for (const name of candidates) {
      try {
        imageFile = stem.slice(0, stem.length - baseName(stem).length) + name;
        return await resolve(name);
      } catch (error) {
        firstError ??= error;
      }
    }
    const why = firstError instanceof ImageReadError ? firstError.reason : String(firstError);
    throw new ImageReadError(file, `cannot read partner file ${candidates[0]}: ${why}`, {
      cause: firstError,
    });
  };
  if (/\.img(\.gz)?$/.test(lower)) {
    imageBytes = bytes;
    imageFile = file;
    headerBytes = await partner(".hdr", file.slice(-4));
    headerFile = `${stem}.hdr`;
  }
  let inflatedHeaderFile: Uint8Array | undefined;
  if (isGzip(headerBytes)) {
    headerBytes = await decompressOrFail(headerFile, headerBytes, "gzip", 348);
    inflatedHeaderFile = headerBytes;
  }
  const h = parseNiftiHeader(headerBytes, headerFile);

  // ---- nifti_convert_nhdr2nim fixes
  const dim = [...h.dim];
  if (dim[0]! < 1 || dim[0]! > 7) {
    throw new ImageReadError(headerFile, `corrupt NIfTI header: dim[0] = ${dim[0]} (must be 1..7)`);
  }
  if (dim[1]! <= 0)
    throw new ImageReadError(headerFile, `corrupt NIfTI header: dim[1] = ${dim[1]}`);
  for (let i = 2; i <= dim[0]!; i++) if (dim[i]! <= 0) dim[i] = 1;
  for (let i = dim[0]! + 1; i <= 7; i++) if (dim[i] !== 1 && dim[i] !== 0) dim[i] = 1;
  const pixdim = [...h.pixdim];
  for (let i = 1; i <= dim[0]!; i++)
    if (pixdim[i] === 0 || !Number.isFinite(pixdim[i]!)) pixdim[i] = 1;
  const extent = (i: number) => (i <= dim[0]! ? dim[i]! : 1);

  // ---- voxel type and intent
  const typeName = DATATYPES[h.datatype];
  if (typeName === undefined) {
    throw new ImageReadError(
      headerFile,
      `corrupt NIfTI header: unknown datatype code ${h.datatype}`,
    );
  }
  if (!isVoxelType(typeName)) {
    throw new ImageReadError(
      headerFile,
      `unsupported NIfTI datatype ${typeName} (code ${h.datatype})`,
    );
  }
  const type = typeName;
  if (h.version > 0 && [1004, 1005, 1006, 1007].includes(h.intentCode)) {
    throw new ImageReadError(
      headerFile,
      `unsupported NIfTI image: intent code ${h.intentCode} (vector/matrix voxels); only scalar images are read`,
    );
  }

  // ---- dimension as ITK: drop trailing unit extents above 3
  let realDim = dim[0]!;
  while (realDim > 3 && dim[realDim] === 1) realDim--;
  if (realDim > 3) {
    throw new ImageReadError(
      headerFile,
      `unsupported NIfTI image: ${realDim}D (${dim.slice(1, realDim + 1).join("x")}); only 2D and 3D images are read`,
    );
  }
  if (realDim < 2) {
    throw new ImageReadError(
      headerFile,
      "unsupported NIfTI image: 1D (only 2D and 3D images are read)",
    );
  }
  const dimension = realDim as 2 | 3;

  // ---- units, spacing
  const spaceUnits = h.xyztUnits & 0x07;
  const unit = spaceUnits === 1 ? 1e3 : spaceUnits === 3 ? 1e-3 : 1.0;
  const spacing: Vec3 = [
    pixdim[1]! * unit,
    pixdim[2]! * unit,
    dimension === 3 ? pixdim[3]! * unit : 1,
  ];

  // ---- geometry
  const round = h.version === 2 ? (x: number) => x : Math.fround;
  const qformCode = h.version > 0 && h.qformCode > 0 ? h.qformCode : 0;
  const sformCode = h.version > 0 && h.sformCode > 0 ? h.sformCode : 0;
  const qfac = h.pixdim[0]! < 0 ? -1 : 1;
  const qto: Mat44 =
    qformCode > 0
      ? quaternToMat44(
          [finiteOr0(h.quatern[0]), finiteOr0(h.quatern[1]), finiteOr0(h.quatern[2])],
          [finiteOr0(h.qoffset[0]), finiteOr0(h.qoffset[1]), finiteOr0(h.qoffset[2])],
          pixdim[1]!,
          pixdim[2]!,
          pixdim[3]!,
          qfac,
          round,
        )
      : [
          [pixdim[1]!, 0, 0, 0],
          [0, pixdim[2]!, 0, 0],
          [0, 0, pixdim[3]!, 0],
          [0, 0, 0, 1],
        ];
  const sto: Mat44 =
    sformCode > 0
      ? [...h.srow.map((row) => [...row]), [0, 0, 0, 1]]
      : [
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ];
  const origin: Vec3 = [0, 0, 0];
  const direction: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  if (qformCode !== 0 || sformCode !== 0) {
    const which = chooseNiftiTransform(qformCode, sformCode, qto, sto);
    if (which === "none") {
      throw new ImageReadError(
        headerFile,
        "unsupported NIfTI geometry: the sform is not orthonormal and there is no qform (ITK only supports orthonormal direction cosines)",
      );
    }
    const m = which === "sform" ? sto : qto;
    origin[0] = -m[0]![3]! * unit;
    origin[1] = -m[1]![3]! * unit;
    if (dimension === 3) origin[2] = m[2]![3]! * unit;
    const n = dimension;
    for (let col = 0; col < n; col++) {
      const v: number[] = [];
      for (let i = 0; i < n; i++) v.push(i < 2 ? -m[i]![col]! : m[i]![col]!);
      let s = 0;
      for (const x of v) s += x * x;
      if (s !== 0) {
        const norm = Math.sqrt(s);
        for (let i = 0; i < n; i++) v[i] = v[i]! / norm;
      }
      for (let i = 0; i < n; i++) direction[i * 3 + col] = v[i]!;
    }
  }

  // ---- data
  const size: Vec3 = [extent(1), extent(2), dimension === 3 ? extent(3) : 1];
  const count = size[0] * size[1] * size[2];
  const bytesPer = VOXEL_BYTES[type];
  let dataBytes: Uint8Array;
  let offset: number;
  if (h.singleFile) {
    offset = Math.max(Math.trunc(h.voxOffset), h.version === 2 ? 540 : 352);
    if (h.voxOffset < 0) {
      throw new ImageReadError(headerFile, `corrupt NIfTI header: vox_offset ${h.voxOffset}`);
    }
    dataBytes = inflatedHeaderFile ?? bytes;
    imageFile = file;
  } else {
    offset = Math.max(0, Math.trunc(h.voxOffset));
    if (!imageBytes) imageBytes = await partner(".img", file.slice(-4));
    dataBytes = imageBytes;
  }
  if (
    isGzip(dataBytes) ||
    (dataBytes === inflatedHeaderFile && dataBytes.length < offset + count * bytesPer)
  ) {
    const source = dataBytes === inflatedHeaderFile ? bytes : dataBytes;
    dataBytes = await decompressOrFail(imageFile, source, "gzip", offset + count * bytesPer);
  }
  // Decompressed bytes are the reader's own: viewed in place rather than copied.
  const owned = dataBytes !== bytes && dataBytes !== imageBytes;
  let data: VoxelArray = decodeVoxels(imageFile, dataBytes, offset, type, count, h.littleEndian, {
    owned,
  });

  // ---- scl_slope / scl_inter as ITK's NiftiImageIO::Read
  if (h.version > 0) {
    let slope = finiteOr0(h.sclSlope);
    const inter = finiteOr0(h.sclInter);
    if (Math.abs(slope) < DOUBLE_EPS) slope = 1;
    const mustRescale =
      Math.abs(slope) > DOUBLE_EPS &&
      (Math.abs(slope - 1.0) > DOUBLE_EPS || Math.abs(inter) > DOUBLE_EPS);
    if (mustRescale) data = rescale(data, slope, inter);
  }
  // -0 (from negating a zero RAS coordinate) is reported as 0
  for (let i = 0; i < 3; i++) origin[i] = origin[i]! + 0;
  for (let i = 0; i < 9; i++) direction[i] = direction[i]! + 0;
  return { data, size, spacing, origin, direction, dimension };
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i >= 0 ? path.slice(i + 1) : path;
}

function isVoxelType(name: string): name is VoxelType {
  return ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float", "double"].includes(name);
}

/** value * slope + inter (double arithmetic); integer and float32 input give float32 output. */
function rescale(data: VoxelArray, slope: number, inter: number): VoxelArray {
  if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * slope + inter;
    return data;
  }
  const out = data instanceof Float32Array ? data : new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.fround(data[i]!) * slope + inter;
  return out;
}
