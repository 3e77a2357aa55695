/**
 * Diffusion MRI metadata from DICOM headers: b-value, gradient direction and trace flag of one
 * frame (public and vendor private tags), dcm2niix's volume order for a series split into diffusion
 * volumes, dcm2niix's .bvec convention, and the vendor tags a scanner writes (synthetic data).
 *
 * Behaviour follows dcm2niix (rordenlab/dcm2niix, console/nii_dicom.cpp readDICOMHeader() and
 * console/nii_dicom_batch.cpp nii_saveDTI(), geCorrectBvecs(), siemensPhilipsCorrectBvecs(),
 * saveDcm2NiiCore(); read at commit 98ecd0b, December 2024). dcm2niix reads the tags of a file in
 * file (tag) order and a later tag overwrites an earlier one, so "which tag wins" below is "the
 * tag with the higher number", except where noted.
 *
 * Tag precedence for one frame (`diffusionOf`):
 *
 * - Enhanced multi-frame (the frame's merged dataset holds MRDiffusionSequence (0018,9117) or
 *   the functional group sequences): the MR Diffusion item's DiffusionBValue (0018,9087),
 *   DiffusionDirectionality (0018,9075) and DiffusionGradientDirectionSequence (0018,9076) >
 *   DiffusionGradientOrientation (0018,9089) are the only source, for every vendor: the per-frame groups (5200,9230) come after every
 *   private group in the file, so dcm2niix also ends with them, and top-level private tags
 *   describe one frame only. An item with DiffusionDirectionality NONE and no b-value is b = 0.
 * - GE (classic): b = first value of (0043,1039) "Slop_int_6" modulo 1 000 000 000 (GE adds 1e9 as
 *   a flag in some releases, e.g. 1000001000 = b 1000; dcm2niix set_bValGE(), issue 602; dcm2niix
 *   applies no other modulo) > public (0018,9087), which GE omits on b = 0 slices from release 27.
 *   Gradient = (0019,10BB) / (0019,10BC) / (0019,10BD), in GE's image (logical) frame, not the
 *   patient frame (dcm2niix geCorrectBvecs()). When the gradient length is between 0.03 and 0.97,
 *   GE has scaled b by |g|^2: the b-value becomes round-to-5(b |g|^2) (at least 5) and the gradient
 *   is multiplied by sqrt(b / b'), as dcm2niix does (issues 163, 245). A b > 0 frame with a zero
 *   gradient is a trace image in a GE non-DTI series (0019,10E0 = 0 directions, or (0043,1030) not
 *   14/16, or (0021,105A) not 16; issues 690, 777), otherwise (DTI series) a b = 0 image whose
 *   nominal b was kept: dcm2niix writes b = 0 for it, and so do we (`nominalBvalue` keeps the
 *   stored value). Only when the gradient tags are present and zero: without any (0019,10BB-BD)
 *   the b-value is kept with no direction (dcm2niix would read zeros and write 0).
 * - Siemens (classic): b = CSA image header (0029,1010) B_value > (0019,100C) B_value > public
 *   (0018,9087) (dcm2niix: the CSA header comes last in the file; a negative CSA b reads as 0).
 *   Gradient = CSA DiffusionGradientDirection > (0019,100E) > public (0018,9089), patient (LPS)
 *   frame. A b > 0 frame without a gradient, or ImageType TRACEW, is a trace image.
 * - Philips (classic): b = (2001,1003) > public (0018,9087); gradient = (2005,10B0/B1/B2) (RL, AP,
 *   FH: the patient LPS axes) > public (0018,9089). Trace when DiffusionDirectionality is ISOTROPIC
 *   (dcm2niix isPhilipsDerived), when (2001,1004) is "I" with b > 0 (Philips labels raw b = 0 images
 *   "I" too; NAMIC DTI DICOM wiki), or b > 0 with a zero gradient (dcm2niix isADCnotDTI()).
 * - Any vendor: public tags only; DiffusionDirectionality other than DIRECTIONAL / BMATRIX means no
 *   gradient (dcm2niix set_directionality0018_9075()).
 *
 * A gradient with a component above 1.5 in magnitude is not a direction (Philips writes 1.7e38 as
 * "none"; dcm2niix _update_tvd() uses the same 1.5 guard) and is ignored. Private elements are
 * found through their private creator (any block 0x10-0xFF), falling back to block 0x10 when the
 * group has no creator at all (stripped by an anonymiser); values read from numbers, from text or,
 * in implicit-VR files where dcmjs hands private elements over as bytes (VR UN), from the bytes
 * (text for IS/DS, little-endian float32/float64 for FL/FD).
 */
import type { Vec3 } from "../../image/volume.js";
import { type CsaHeader, csaNumbers, readCsaHeader, writeCsaHeader } from "./csa.js";
import {
  bytesOf,
  type DicomDataset,
  numberOf,
  numbersOf,
  sequenceOf,
  stringOf,
  stringsOf,
} from "./parse.js";

export type DiffusionVendor = "ge" | "siemens" | "philips" | "other";

export interface DiffusionInfo {
  /** b-value in s/mm^2. */
  bvalue: number;
  /**
   * Gradient direction as stored (not normalised), in `frame`. Omitted for b = 0 and trace
   * images, and when no tag gives one.
   */
  bvector?: Vec3;
  /**
   * Frame of `bvector`: "patient" = DICOM patient coordinates (LPS: public tags, Siemens, Philips);
   * "image" = GE's image frame (use `dcm2niixBvec` / `patientBvector` to convert).
   */
  frame?: "patient" | "image";
  /** The tag the b-value came from, e.g. "(0043,1039) GE". */
  source: string;
  /** The tag the gradient came from. */
  vectorSource?: string;
  /** A trace-weighted (isotropic) image: b > 0 with no direction (see the precedence notes). */
  isTrace?: boolean;
  vendor: DiffusionVendor;
  /** GE DTI series, b > 0 with a zero gradient: the stored b (bvalue is then 0, as dcm2niix writes). */
  nominalBvalue?: number;
}

// ---------------------------------------------------------------------------------------------
// Vendor and private-element access

const CREATORS = {
  geParm: { group: "0043", creator: "GEMS_PARM_01" },
  geAcqu: { group: "0019", creator: "GEMS_ACQU_01" },
  geRela: { group: "0021", creator: "GEMS_RELA_01" },
  siemensMr: { group: "0019", creator: "SIEMENS MR HEADER" },
  siemensCsa: { group: "0029", creator: "SIEMENS CSA HEADER" },
  philipsImaging: { group: "2001", creator: "Philips Imaging DD 001" },
  philipsMr: { group: "2005", creator: "Philips MR Imaging DD 001" },
} as const;

type Creator = (typeof CREATORS)[keyof typeof CREATORS];

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");

/**
 * The dataset key of private element (group, creator, low byte `element`): the block whose creator
 * element (gggg,00bb) names `creator` (case-insensitive), else block 0x10 when the group has no
 * creator element at all; undefined when the group's creators are all someone else's.
 */
function privateKey(ds: DicomDataset, c: Creator, element: number): string | undefined {
  const creators = privateCreators(ds).get(c.group);
  if (!creators) return `${c.group}10${hex2(element)}`;
  const block = creators.get(c.creator.toUpperCase());
  return block === undefined ? undefined : `${c.group}${hex2(block)}${hex2(element)}`;
}

function hasCreator(ds: DicomDataset, c: Creator): boolean {
  return privateCreators(ds).get(c.group)?.has(c.creator.toUpperCase()) === true;
}

/** Private creator elements (gggg,00bb), bb in 0x10-0xFF: group -> upper-case creator -> block. */
const creatorCache = new WeakMap<DicomDataset, Map<string, Map<string, number>>>();

/**
 * The dataset's private creators, indexed once per dataset (every frame of a series asks for
 * several private elements; scanning 240 candidate blocks per question was the slow part).
 */
function privateCreators(ds: DicomDataset): Map<string, Map<string, number>> {
  const cached = creatorCache.get(ds);
  if (cached) return cached;
  const index = new Map<string, Map<string, number>>();
  for (const key of Object.keys(ds)) {
    // Creator elements: odd group, element 0x0010-0x00FF, i.e. "gggg00bb".
    if (key.length !== 8 || key[4] !== "0" || key[5] !== "0") continue;
    const block = Number.parseInt(key.slice(6), 16);
    if (!(block >= 0x10 && block <= 0xff)) continue;
    const group = key.slice(0, 4);
    const name = stringOf(ds, key);
    if (name === undefined) continue;
    let byName = index.get(group);
    if (!byName) {
      byName = new Map();
      index.set(group, byName);
    }
    // The first block naming a creator wins, as a scan from 0x10 upwards would find it.
    const upper = name.toUpperCase();
    if (!byName.has(upper) || byName.get(upper)! > block) byName.set(upper, block);
  }
  creatorCache.set(ds, index);
  return index;
}

/** The Siemens CSA image header (0029,xx10 of the "SIEMENS CSA HEADER" block), parsed; undefined when absent or corrupt. */
export function siemensCsaImageHeader(ds: DicomDataset): CsaHeader | undefined {
  const bytes = bytesOf(ds, privateKey(ds, CREATORS.siemensCsa, 0x10) ?? "");
  return bytes ? readCsaHeader(bytes) : undefined;
}

/**
 * Numeric values of a private element: dcmjs numbers or numeric text, else (VR UN) the bytes as
 * backslash-separated text or, for `binary`, little-endian floats.
 */
function privateNumbers(
  ds: DicomDataset,
  key: string | undefined,
  binary?: "f32" | "f64",
): number[] | undefined {
  if (key === undefined || ds[key] === undefined) return undefined;
  const direct = numbersOf(ds, key);
  if (direct) return direct;
  const bytes = bytesOf(ds, key);
  if (!bytes || bytes.length === 0) return undefined;
  if (binary) {
    const size = binary === "f32" ? 4 : 8;
    if (bytes.length % size !== 0) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: number[] = [];
    for (let p = 0; p < bytes.length; p += size) {
      const v = size === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      if (!Number.isFinite(v)) return undefined;
      out.push(v);
    }
    return out;
  }
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  const parts = text
    .replace(/\0/g, "")
    .split("\\")
    .map((s) => s.trim());
  if (parts.some((s) => s === "")) return undefined;
  const out = parts.map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

function privateText(ds: DicomDataset, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const bytes = bytesOf(ds, key);
  if (!bytes) return stringOf(ds, key);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return text.replace(/\0/g, "").trim() || undefined;
}

/**
 * The vendor whose private tags apply, from Manufacturer (0008,0070) as dcm2niix reads it (first
 * two letters: GE, SI, PH), else from the private creators present.
 */
export function diffusionVendor(ds: DicomDataset, manufacturer?: string): DiffusionVendor {
  const m = (manufacturer ?? stringOf(ds, "Manufacturer") ?? "").trim().toUpperCase();
  if (m.startsWith("GE")) return "ge";
  if (m.startsWith("SI")) return "siemens";
  if (m.startsWith("PH")) return "philips";
  if (m !== "") return "other";
  if (hasCreator(ds, CREATORS.geParm) || hasCreator(ds, CREATORS.geAcqu)) return "ge";
  if (hasCreator(ds, CREATORS.siemensCsa) || hasCreator(ds, CREATORS.siemensMr)) return "siemens";
  if (hasCreator(ds, CREATORS.philipsImaging) || hasCreator(ds, CREATORS.philipsMr))
    return "philips";
  return "other";
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A usable direction: three finite components, none above 1.5 in magnitude. */
function asVector(values: number[] | undefined): Vec3 | undefined {
  if (!values || values.length < 3) return undefined;
  const v: Vec3 = [values[0]!, values[1]!, values[2]!];
  return v.every((x) => Number.isFinite(x) && Math.abs(x) <= 1.5) ? v : undefined;
}

const ZERO = 1e-6;
const isZeroVector = (v: Vec3 | undefined) => !v || v.every((x) => Math.abs(x) <= ZERO);

interface PublicDiffusion {
  enhanced: boolean;
  b?: number;
  bSource?: string;
  v?: Vec3;
  vSource?: string;
  directionality?: string;
}

/** Public diffusion attributes (MR Diffusion functional group first, then top level). */
function publicDiffusion(ds: DicomDataset): PublicDiffusion {
  const item = sequenceOf(ds, "MRDiffusionSequence")[0];
  const where = item ? " in MRDiffusionSequence (0018,9117)" : "";
  const src = item ?? ds;
  // Enhanced multi-frame: the frame's functional groups, never the top-level private tags.
  const enhanced =
    item !== undefined ||
    ds.PerFrameFunctionalGroupsSequence !== undefined ||
    ds.SharedFunctionalGroupsSequence !== undefined;
  const out: PublicDiffusion = { enhanced };
  out.directionality = (
    stringOf(src, "DiffusionDirectionality") ?? stringOf(ds, "DiffusionDirectionality")
  )?.toUpperCase();
  const b = numberOf(src, "DiffusionBValue") ?? numberOf(ds, "DiffusionBValue");
  if (b !== undefined) {
    out.b = b;
    out.bSource = `DiffusionBValue (0018,9087)${where}`;
  } else if (item && out.directionality === "NONE") {
    // Philips omits the b-value of b = 0 frames (dcm2niix: "Philips may skip reporting B-values
    // for B=0 volumes"); their MR Diffusion item still says NONE.
    out.b = 0;
    out.bSource = "DiffusionDirectionality (0018,9075) NONE in MRDiffusionSequence (0018,9117)";
  }
  const gradient =
    sequenceOf(src, "DiffusionGradientDirectionSequence")[0] ??
    sequenceOf(ds, "DiffusionGradientDirectionSequence")[0];
  const v = asVector(
    (gradient && numbersOf(gradient, "DiffusionGradientOrientation")) ??
      numbersOf(src, "DiffusionGradientOrientation") ??
      numbersOf(ds, "DiffusionGradientOrientation"),
  );
  const directional =
    out.directionality === undefined ||
    out.directionality === "DIRECTIONAL" ||
    out.directionality === "BMATRIX";
  if (v && directional) {
    out.v = v;
    out.vSource = `DiffusionGradientOrientation (0018,9089)${where}`;
  }
  return out;
}

/**
 * GE's number of diffusion directions as dcm2niix decides it: (0019,10E0), forced to 0 (a non-DTI
 * series, whose b > 0 zero-gradient images are traces) when (0043,1030) is set and not 14 / 16 or
 * (0021,105A) is set and not 16; undefined when (0019,10E0) is absent.
 */
function geDirectionCount(ds: DicomDataset): number | undefined {
  const vasCollapse = privateNumbers(ds, privateKey(ds, CREATORS.geParm, 0x30))?.[0];
  const seriesType = privateNumbers(ds, privateKey(ds, CREATORS.geRela, 0x5a))?.[0];
  if (vasCollapse !== undefined && vasCollapse > 0 && vasCollapse !== 16 && vasCollapse !== 14)
    return 0;
  if (seriesType !== undefined && seriesType > 0 && seriesType !== 16) return 0;
  const n = privateNumbers(ds, privateKey(ds, CREATORS.geAcqu, 0xe0))?.[0];
  return n === undefined ? undefined : Math.round(n);
}

/**
 * b-value, gradient and trace flag of one frame's dataset (for enhanced multi-frame, the frame's
 * per-frame functional groups merged over the shared ones and the top level). `manufacturer`
 * overrides Manufacturer (0008,0070). Undefined when no tag gives a b-value. See the module
 * comment for which tag wins.
 */
export function diffusionOf(ds: DicomDataset, manufacturer?: string): DiffusionInfo | undefined {
  const vendor = diffusionVendor(ds, manufacturer);
  const pub = publicDiffusion(ds);
  let b: { value: number; source: string } | undefined;
  let v: { value: Vec3; source: string; frame: "patient" | "image" } | undefined;
  let isTrace = false;
  let nominal: number | undefined;
  const classic = !pub.enhanced;

  if (vendor === "ge" && classic) {
    const slop = privateNumbers(ds, privateKey(ds, CREATORS.geParm, 0x39))?.[0];
    if (slop !== undefined && slop >= 0) {
      b = { value: Math.trunc(slop) % 1_000_000_000, source: "(0043,1039) GE" };
    }
    const acqu = (e: number) => privateNumbers(ds, privateKey(ds, CREATORS.geAcqu, e))?.[0];
    const gx = acqu(0xbb);
    const gy = acqu(0xbc);
    const gz = acqu(0xbd);
    const g =
      gx !== undefined && gy !== undefined && gz !== undefined ? asVector([gx, gy, gz]) : undefined;
    if (g) v = { value: g, source: "(0019,10BB-10BD) GE", frame: "image" };
  } else if (vendor === "siemens" && classic) {
    const csa = siemensCsaImageHeader(ds);
    const csaB = csaNumbers(csa, "B_value")?.[0];
    const csaG = asVector(csaNumbers(csa, "DiffusionGradientDirection"));
    const mrB = privateNumbers(ds, privateKey(ds, CREATORS.siemensMr, 0x0c))?.[0];
    const mrG = asVector(privateNumbers(ds, privateKey(ds, CREATORS.siemensMr, 0x0e), "f64"));
    if (csaB !== undefined)
      b = { value: Math.max(0, csaB), source: "CSA image header (0029,1010) B_value" };
    else if (mrB !== undefined) b = { value: mrB, source: "(0019,100C) Siemens B_value" };
    if (csaG)
      v = {
        value: csaG,
        source: "CSA image header (0029,1010) DiffusionGradientDirection",
        frame: "patient",
      };
    else if (mrG)
      v = {
        value: mrG,
        source: "(0019,100E) Siemens DiffusionGradientDirection",
        frame: "patient",
      };
    if (stringsOf(ds, "ImageType").some((t) => t.toUpperCase() === "TRACEW")) isTrace = true;
  } else if (vendor === "philips" && classic) {
    const pb = privateNumbers(ds, privateKey(ds, CREATORS.philipsImaging, 0x03), "f32")?.[0];
    if (pb !== undefined) b = { value: pb, source: "(2001,1003) Philips" };
    const mr = (e: number) => privateNumbers(ds, privateKey(ds, CREATORS.philipsMr, e), "f32")?.[0];
    const rl = mr(0xb0);
    const ap = mr(0xb1);
    const fh = mr(0xb2);
    const g =
      rl !== undefined && ap !== undefined && fh !== undefined ? asVector([rl, ap, fh]) : undefined;
    if (g) v = { value: g, source: "(2005,10B0-10B2) Philips", frame: "patient" };
    const label = privateText(ds, privateKey(ds, CREATORS.philipsImaging, 0x04))?.toUpperCase();
    if (label === "I" && (b?.value ?? pub.b ?? 0) > 0) isTrace = true;
  }
  if (!b && pub.b !== undefined && pub.bSource) b = { value: pub.b, source: pub.bSource };
  if (!b) return undefined;
  if (!v && pub.v && pub.vSource) v = { value: pub.v, source: pub.vSource, frame: "patient" };
  if (pub.directionality === "ISOTROPIC") isTrace = true;

  let bvalue = b.value;
  let vector = v?.value;
  if (vendor === "ge" && classic && v?.frame === "image" && bvalue > 0 && vector) {
    // dcm2niix geCorrectBvecs(): GE scales b by |g|^2 for some schemes; undo as dcm2niix does.
    const length = Math.hypot(vector[0], vector[1], vector[2]);
    if (length > 0.03 && length < 0.97) {
      const scaled = bvalue * length * length;
      const rounded = scaled > 0 && scaled < 5 ? 5 : Math.trunc((scaled + 2.5) / 5) * 5;
      const k = rounded === 0 ? 0 : Math.sqrt(bvalue / rounded);
      vector = [vector[0] * k, vector[1] * k, vector[2] * k];
      bvalue = rounded;
    }
  }
  if (bvalue > 0 && isZeroVector(vector) && !isTrace) {
    if (vendor === "ge" && classic && v === undefined) {
      // No GE gradient tags at all (dcm2niix would read zeros): a trace in a non-DTI series,
      // otherwise the direction is unknown and b is kept (radscore does not invent b = 0).
      if (geDirectionCount(ds) === 0) isTrace = true;
    } else if (vendor === "ge" && classic) {
      if (geDirectionCount(ds) === 0) isTrace = true;
      else {
        nominal = bvalue;
        bvalue = 0;
      }
    } else {
      isTrace = true;
    }
  }
  const info: DiffusionInfo = { bvalue, source: b.source, vendor };
  if (nominal !== undefined) {
    info.nominalBvalue = nominal;
    info.source += " (b > 0 with zero gradient in a GE DTI series: b = 0, as dcm2niix)";
  }
  if (isTrace) info.isTrace = true;
  else if (bvalue > 0 && vector && v) {
    info.bvector = vector;
    info.frame = v.frame;
    info.vectorSource = v.source;
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Gradient directions in dcm2niix's .bvec convention and in patient coordinates

export interface SliceGeometry {
  /** ImageOrientationPatient's row direction (along a row) and column direction, LPS. */
  rowDirection: Vec3;
  columnDirection: Vec3;
  /** InPlanePhaseEncodingDirection (0018,1312): needed for GE gradients only. */
  inPlanePhaseEncodingDirection?: string;
}

const cross3 = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot3 = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const noNegativeZero = (v: Vec3): Vec3 => [v[0] + 0, v[1] + 0, v[2] + 0];

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return n > 0 ? [v[0] / n, v[1] / n, v[2] / n] : [0, 0, 0];
}

/**
 * The frame's gradient as dcm2niix writes it to the .bvec file (default options: rows flipped,
 * `-y` not given, slices along +normal after nii_flipZ). dcm2niix's NIfTI voxel axes are, in
 * patient space, i = row direction, j = -column direction (the rows are stored bottom-up),
 * k = n = row x column; that matrix has a negative determinant, for which FSL's bvec convention is
 * the plain voxel-axis components. So for a patient-frame gradient g:
 *
 *   bvec = normalise(g . row, -(g . column), g . n)      (siemensPhilipsCorrectBvecs())
 *
 * and for GE's image-frame gradient (x, y, z) (geCorrectBvecs()): with COL phase encoding start
 * from (x, y, z), with ROW from (y, -x, z); negate the components flagged for the slice axis
 * (axial: z; coronal: y, z; sagittal: x, y; the axis is the largest component of n), negate y,
 * then negate all three. Axial COL gives (-x, y, z). [0, 0, 0] for b = 0 and traces; undefined for
 * a GE gradient whose phase-encoding direction is neither ROW nor COL (dcm2niix refuses too).
 * Mosaic (Siemens negative-determinant) corrections are not modelled.
 */
export function dcm2niixBvec(d: DiffusionInfo, geometry: SliceGeometry): Vec3 | undefined {
  const g = d.bvector;
  if (!g || d.bvalue <= 0 || isZeroVector(g)) return [0, 0, 0];
  const row = unit(geometry.rowDirection);
  const col = unit(geometry.columnDirection);
  const n = unit(cross3(row, col));
  if (d.frame === "image") {
    const pe = geometry.inPlanePhaseEncodingDirection?.trim().toUpperCase();
    if (pe !== "ROW" && pe !== "COL") return undefined;
    const a = n.map(Math.abs);
    let axis = 0;
    if (a[1]! >= a[0]! && a[1]! >= a[2]!) axis = 1;
    if (a[2]! >= a[0]! && a[2]! >= a[1]!) axis = 2;
    const flip =
      axis === 0 ? [true, true, false] : axis === 1 ? [false, true, true] : [false, false, true];
    let v: Vec3 = pe === "COL" ? [g[0], g[1], g[2]] : [g[1], -g[0], g[2]];
    v = v.map((x, i) => (flip[i] ? -x : x)) as Vec3;
    v[1] = -v[1];
    return noNegativeZero([-v[0], -v[1], -v[2]]);
  }
  return noNegativeZero(unit([dot3(g, row), -dot3(g, col), dot3(g, n)]));
}

/**
 * The frame's gradient as a unit vector in patient coordinates (LPS). Patient-frame gradients are
 * normalised; GE image-frame gradients go through dcm2niix's bvec (above) and back through its
 * voxel axes: g = b0 row - b1 column + b2 n. Undefined without a gradient.
 */
export function patientBvector(d: DiffusionInfo, geometry: SliceGeometry): Vec3 | undefined {
  if (!d.bvector || d.bvalue <= 0 || isZeroVector(d.bvector)) return undefined;
  if (d.frame !== "image") return unit(d.bvector);
  const b = dcm2niixBvec(d, geometry);
  if (!b) return undefined;
  const row = unit(geometry.rowDirection);
  const col = unit(geometry.columnDirection);
  const n = unit(cross3(row, col));
  return unit([0, 1, 2].map((i) => b[0] * row[i]! - b[1] * col[i]! + b[2] * n[i]!) as Vec3);
}

// ---------------------------------------------------------------------------------------------
// dcm2niix's volume order

export interface DiffusionFrameRecord {
  /** InstanceNumber (0020,0013): dcm2niix's primary sort key inside a series. */
  instanceNumber?: number;
  /** Signed distance along the slice normal n = row x column (mm), e.g. n . ImagePositionPatient. */
  position: number;
  /**
   * The scanner's volume (repetition) number, e.g. GE RawDataRunNumber (0019,10A2): the tie-break
   * for equal instance numbers, and the volume key when the instance order is not spatial inside
   * a volume (dcm2niix ensureSequentialSlicePositions()).
   */
  volumeNumber?: number;
  diffusion?: DiffusionInfo;
}

export interface DiffusionVolumeGroup<T> {
  /** The volume's frames, in dcm2niix's order (instance order; callers sort slices spatially). */
  frames: T[];
  /** From the frame at the series' first slice position (dcm2niix reads b / bvec there). */
  diffusion?: DiffusionInfo;
  /** Whether every frame of the volume has the same b-value, gradient and trace flag. */
  consistent: boolean;
}

export interface DiffusionVolumeOrder<T> {
  /**
   * "slices-first": InstanceNumber runs over the slices of a volume, then the next volume
   * (XYZT); "volumes-first": over the volumes at one slice, then the next slice (XYTZ, dcm2niix
   * swaps dimensions 3 and 4); "single": no slice position repeats (one volume).
   */
  layout: "slices-first" | "volumes-first" | "single";
  slicesPerVolume: number;
  /** The volumes dcm2niix writes to the main NIfTI, in its order (the .bval / .bvec order). */
  volumes: DiffusionVolumeGroup<T>[];
  /** Trace / ADC volumes dcm2niix takes out of the main NIfTI (it writes them to a *_ADC file). */
  derived: DiffusionVolumeGroup<T>[];
}

function sameDiffusion(a: DiffusionInfo | undefined, b: DiffusionInfo | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.bvalue !== b.bvalue || Boolean(a.isTrace) !== Boolean(b.isTrace)) return false;
  const u = a.bvector;
  const w = b.bvector;
  if (!u || !w) return !u && !w;
  return u.every((x, i) => Math.abs(x - w[i]!) <= 1e-6);
}

/** dcm2niix removes these from the main series: Philips traces, GE traces of non-DTI series. */
const isRemovedTrace = (d: DiffusionInfo | undefined) =>
  Boolean(d?.isTrace) && (d?.vendor === "philips" || d?.vendor === "ge");

/**
 * Groups one series' 2D frames into diffusion volumes in dcm2niix's order (classic files):
 *
 * 1. Sort by InstanceNumber, then `volumeNumber`, then input order (compareTDCMsort(): series and
 *    instance number, then readDICOMHeader()'s dimension keys, RawDataRunNumber first; its next
 *    key, a CRC of SOPInstanceUID, is arbitrary, so input order stands in for it).
 * 2. The number of volumes is how often the first frame's position repeats (saveDcm2NiiCore()).
 * 3. If the first two frames share a position, the instances run over volumes first (XYTZ):
 *    volume a, slice s is frame s * volumes + a (swapDim3Dim4()). Otherwise consecutive runs of
 *    `slicesPerVolume` frames are the volumes; when a run's slice spacing is not uniform (more
 *    than 0.2 mm apart, three slices or more) and `volumeNumber` varies, frames are re-sorted by
 *    (volumeNumber, position) first (ensureSequentialSlicePositions()).
 * 4. Trace / ADC volumes (Philips traces; GE traces of non-DTI series) leave the main series
 *    unless that leaves fewer than two volumes (nii_saveDTI(): a b = 0 + trace pair or an
 *    all-isotropic series keeps them). dcm2niix does not re-sort by b-value by default.
 *
 * So for classic GE (and any slices-first series) the volume order is the acquisition
 * (InstanceNumber) order. Throws when the frame count is not a whole number of volumes.
 */
export function orderDiffusionVolumes<T extends DiffusionFrameRecord>(
  frames: readonly T[],
  options: { positionTolerance?: number } = {},
): DiffusionVolumeOrder<T> {
  const tolerance = options.positionTolerance ?? 1e-3;
  const indexed = frames.map((frame, index) => ({ frame, index }));
  indexed.sort(
    (a, b) =>
      (a.frame.instanceNumber ?? 0) - (b.frame.instanceNumber ?? 0) ||
      (a.frame.volumeNumber ?? 0) - (b.frame.volumeNumber ?? 0) ||
      a.index - b.index,
  );
  let sorted = indexed.map((x) => x.frame);
  const n = sorted.length;
  if (n === 0) return { layout: "single", slicesPerVolume: 0, volumes: [], derived: [] };
  const samePosition = (a: T, b: T) => Math.abs(a.position - b.position) <= tolerance;
  const first = sorted[0]!;
  const repeats = sorted.filter((f) => samePosition(f, first)).length;
  let layout: DiffusionVolumeOrder<T>["layout"];
  let chunks: T[][];
  if (repeats <= 1) {
    layout = "single";
    chunks = [sorted];
  } else {
    if (n % repeats !== 0) {
      throw new Error(
        `${n} frames are not a whole number of volumes: the first slice position repeats ${repeats} times`,
      );
    }
    const slices = n / repeats;
    const volumes = repeats;
    if (n > 1 && samePosition(sorted[0]!, sorted[1]!) && slices > 1) {
      layout = "volumes-first";
      chunks = Array.from({ length: volumes }, (_, a) =>
        Array.from({ length: slices }, (_, s) => sorted[s * volumes + a]!),
      );
    } else {
      layout = "slices-first";
      if (slices >= 3 && !uniformRuns(sorted, slices)) {
        const vols = sorted.map((f) => f.volumeNumber);
        const known = vols.every((x) => x !== undefined);
        if (known && new Set(vols).size > 1) {
          const p0 = sorted[0]!.position;
          sorted = sorted
            .map((frame, index) => ({ frame, index }))
            .sort(
              (a, b) =>
                a.frame.volumeNumber! - b.frame.volumeNumber! ||
                a.frame.position - p0 - (b.frame.position - p0) ||
                a.index - b.index,
            )
            .map((x) => x.frame);
        }
      }
      chunks = Array.from({ length: volumes }, (_, t) =>
        sorted.slice(t * slices, (t + 1) * slices),
      );
    }
  }
  const reference = sorted[0]!;
  const groups: DiffusionVolumeGroup<T>[] = chunks.map((chunk) => {
    const at = chunk.find((f) => samePosition(f, reference)) ?? chunk[0]!;
    const group: DiffusionVolumeGroup<T> = {
      frames: chunk,
      consistent: chunk.every((f) => sameDiffusion(f.diffusion, at.diffusion)),
    };
    if (at.diffusion) group.diffusion = at.diffusion;
    return group;
  });
  const removed = groups.filter((g) => isRemovedTrace(g.diffusion));
  const kept = groups.filter((g) => !isRemovedTrace(g.diffusion));
  if (removed.length === 0 || kept.length < 2) {
    return { layout, slicesPerVolume: chunks[0]!.length, volumes: groups, derived: [] };
  }
  return { layout, slicesPerVolume: chunks[0]!.length, volumes: kept, derived: removed };
}

/** Whether every consecutive run of `slices` frames has uniform signed spacing (0.2 mm). */
function uniformRuns(sorted: readonly DiffusionFrameRecord[], slices: number): boolean {
  for (let start = 0; start + slices <= sorted.length; start += slices) {
    const dx = sorted[start + 1]!.position - sorted[start]!.position;
    for (let z = 2; z < slices; z++) {
      const d = sorted[start + z]!.position - sorted[start + z - 1]!.position;
      if (Math.abs(d - dx) > 0.2) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Writing vendor tags (synthetic DICOM)

export interface RawElement {
  vr: string;
  Value: unknown[];
}

/** A DS value (at most 16 characters, PS3.5 6.2) of `x`. */
function decimalString(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a DICOM DS value`);
  const plain = String(x);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits >= 1; digits--) {
    const s = Number(x.toPrecision(digits)).toString();
    if (s.length <= 16) return s;
  }
  return x.toExponential(8);
}

/**
 * The elements a scanner of `vendor` writes for one diffusion frame, as raw dcmjs elements keyed
 * by 8-digit tag, private creators included: merge them into a dcmjs dict before writing.
 *
 * - siemens: (0019,0010) "SIEMENS MR HEADER", (0019,100C) IS B_value, (0019,100E) FD gradient,
 *   (0029,0010) "SIEMENS CSA HEADER", (0029,1008) "IMAGE NUM 4", (0029,1009) "20100114" and the
 *   CSA image header (0029,1010) with B_value, DiffusionDirectionality (DIRECTIONAL / NONE) and
 *   DiffusionGradientDirection. b is written as an integer (IS), as Siemens does.
 * - philips: public (0018,9075) NONE / DIRECTIONAL / ISOTROPIC, (0018,9087), (0018,9089) when
 *   directional, (2001,0010) "Philips Imaging DD 001", (2001,1003) FL b, (2001,1004) CS "O"
 *   (directional) or "I" (b = 0 and trace), (2005,0010) "Philips MR Imaging DD 001" and
 *   (2005,10B0/B1/B2) FL gradient (0 for b = 0 and trace).
 * - ge: (0019,0010) "GEMS_ACQU_01", (0019,10BB/BC/BD) DS gradient (GE image frame),
 *   (0043,0010) "GEMS_PARM_01", (0043,1039) IS [b, 8, 0, 0]; public (0018,9087) for b > 0 (GE omits
 *   it on b = 0 slices). A GE trace (b > 0 without a gradient) needs series-level flags this
 *   function cannot set, so it is refused.
 *
 * The gradient is in the patient (LPS) frame for Siemens and Philips, GE's image frame for GE; b = 0
 * and trace frames (no `bvector`) get no gradient.
 */
export function vendorDiffusionElements(
  vendor: "siemens" | "philips" | "ge",
  bvalue: number,
  bvector?: Vec3,
): Record<string, RawElement> {
  if (!Number.isFinite(bvalue) || bvalue < 0) throw new Error(`invalid b-value ${bvalue}`);
  if (bvector && !bvector.every((x) => Number.isFinite(x) && Math.abs(x) <= 1.5)) {
    throw new Error(`invalid gradient direction ${bvector.join(", ")}`);
  }
  const directional = bvalue > 0 && bvector !== undefined && !isZeroVector(bvector);
  const g: Vec3 = directional ? bvector! : [0, 0, 0];
  if (vendor === "siemens") {
    const b = Math.round(bvalue);
    const fields: Record<string, string[]> = { B_value: [String(b)] };
    if (directional) {
      fields.DiffusionDirectionality = ["DIRECTIONAL"];
      fields.DiffusionGradientDirection = g.map((x) => String(x));
    } else if (b === 0) {
      fields.DiffusionDirectionality = ["NONE"];
    }
    const csa = writeCsaHeader(fields);
    const out: Record<string, RawElement> = {
      "00190010": { vr: "LO", Value: ["SIEMENS MR HEADER"] },
      "0019100C": { vr: "IS", Value: [String(b)] },
      "00290010": { vr: "LO", Value: ["SIEMENS CSA HEADER"] },
      "00291008": { vr: "CS", Value: ["IMAGE NUM 4"] },
      "00291009": { vr: "LO", Value: ["20100114"] },
      "00291010": {
        vr: "OB",
        Value: [csa.buffer.slice(csa.byteOffset, csa.byteOffset + csa.byteLength)],
      },
    };
    if (directional) out["0019100E"] = { vr: "FD", Value: [...g] };
    return out;
  }
  if (vendor === "philips") {
    const out: Record<string, RawElement> = {
      "00189075": {
        vr: "CS",
        Value: [bvalue === 0 ? "NONE" : directional ? "DIRECTIONAL" : "ISOTROPIC"],
      },
      "00189087": { vr: "FD", Value: [bvalue] },
      "20010010": { vr: "LO", Value: ["Philips Imaging DD 001"] },
      "20011003": { vr: "FL", Value: [bvalue] },
      "20011004": { vr: "CS", Value: [directional ? "O" : "I"] },
      "20050010": { vr: "LO", Value: ["Philips MR Imaging DD 001"] },
      "200510B0": { vr: "FL", Value: [g[0]] },
      "200510B1": { vr: "FL", Value: [g[1]] },
      "200510B2": { vr: "FL", Value: [g[2]] },
    };
    if (directional) out["00189089"] = { vr: "FD", Value: [...g] };
    return out;
  }
  if (bvalue > 0 && !directional) {
    throw new Error(
      "a GE trace image (b > 0 without a gradient) cannot be described by per-image GE tags",
    );
  }
  const out: Record<string, RawElement> = {
    "00190010": { vr: "LO", Value: ["GEMS_ACQU_01"] },
    "001910BB": { vr: "DS", Value: [decimalString(g[0])] },
    "001910BC": { vr: "DS", Value: [decimalString(g[1])] },
    "001910BD": { vr: "DS", Value: [decimalString(g[2])] },
    "00430010": { vr: "LO", Value: ["GEMS_PARM_01"] },
    "00431039": { vr: "IS", Value: [String(Math.round(bvalue)), "8", "0", "0"] },
  };
  if (bvalue > 0) out["00189087"] = { vr: "FD", Value: [bvalue] };
  return out;
}
