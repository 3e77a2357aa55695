/**
 * Copying a slice's ROI to another slice of the same plane (a viewer's "copy to next slice"):
 * the target's `label` region becomes exactly the source's, voxel for voxel at the same (u, v).
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
} from "./slice.js";

/**
 * Replaces the `label` voxels of slice `toIndex` (plane of `ref`) with those of slice `ref`:
 * source `label` voxels become `label` on the target whatever they held, target `label` voxels
 * outside the source region become 0, other voxels are untouched. Returns the applied edit of the
 * target slice, or null when nothing changed (including `toIndex === ref.index`).
 */
export function copySlice(
  mask: Volume<Uint8Array>,
  ref: SliceRef,
  toIndex: number,
  label: number,
): SliceEdit | null {
  checkMask(mask);
  checkSliceIndex(mask.size, ref.plane, ref.index, "source slice");
  checkSliceIndex(mask.size, ref.plane, toIndex, "target slice");
  checkLabel(label);
  const from = readSlice(mask, ref);
  const target: SliceRef = { plane: ref.plane, index: toIndex };
  const before = readSlice(mask, target);
  const after = before.slice();
  for (let i = 0; i < after.length; i++) {
    if (from[i] === label) after[i] = label;
    else if (after[i] === label) after[i] = 0;
  }
  return commitSlice(mask, target, before, after);
}
