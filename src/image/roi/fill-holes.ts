/**
 * Hole filling on one slice: the voxels not of `label` that cannot reach the slice border
 * through 4-connected non-`label` voxels become `label`.
 *
 * This is morphological hole filling by reconstruction of the complement from the border (P.
 * Soille, "Morphological Image Analysis", 2nd ed., 2003), as scipy.ndimage.binary_fill_holes does
 * with its default 2D structuring element. 4-connected background pairs with 8-connected
 * foreground, so a contour that closes only through diagonal steps (as a drawn outline often
 * does) still encloses its inside. Enclosed voxels of other labels are filled too: the label's
 * region becomes hole-free, as the module's "join the region" rule says.
 */
import type { Volume } from "../volume.js";
import {
  checkLabel,
  checkMask,
  checkSliceIndex,
  commitSlice,
  readSlice,
  type SliceEdit,
  type SliceRef,
  sliceDims,
} from "./slice.js";

/**
 * 1 where a `width` x `height` binary slice (`fg[i] !== 0` is foreground) has a hole: background
 * not 4-connected to the slice border through background.
 */
export function holesOf(fg: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  // reached[i] = 1 once background voxel i is known to connect to the border.
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  const seed = (i: number) => {
    if (fg[i] === 0 && reached[i] === 0) {
      reached[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let u = 0; u < width; u++) {
    seed(u);
    seed((height - 1) * width + u);
  }
  for (let v = 0; v < height; v++) {
    seed(v * width);
    seed(v * width + width - 1);
  }
  // Breadth-first flood; each voxel enters the queue at most once.
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const u = i % width;
    if (u > 0) seed(i - 1);
    if (u < width - 1) seed(i + 1);
    if (i >= width) seed(i - width);
    if (i < n - width) seed(i + width);
  }
  const holes = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (fg[i] === 0 && reached[i] === 0) holes[i] = 1;
  return holes;
}

/** Fills the holes of the `label` region on slice `ref`; returns the applied edit, or null when there were none. */
export function fillHoles(
  mask: Volume<Uint8Array>,
  ref: SliceRef,
  label: number,
): SliceEdit | null {
  checkMask(mask);
  checkSliceIndex(mask.size, ref.plane, ref.index);
  checkLabel(label);
  const { width, height } = sliceDims(mask.size, ref.plane);
  const before = readSlice(mask, ref);
  const fg = new Uint8Array(before.length);
  for (let i = 0; i < fg.length; i++) fg[i] = before[i] === label ? 1 : 0;
  const holes = holesOf(fg, width, height);
  const after = before.slice();
  for (let i = 0; i < after.length; i++) if (holes[i] !== 0) after[i] = label;
  return commitSlice(mask, ref, before, after);
}
