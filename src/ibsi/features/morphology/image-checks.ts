/**
 * Input checks shared by the IBSI-1 morphological (HCUG) and local intensity (9ST6) families: the
 * IbsiImage's grid, spacing and masks must describe one grid (src/ibsi/types.ts), and the voxel
 * positions these families need are physical voxel centres, index * spacing (mm; the origin
 * cancels in every feature of both families).
 */
import { type IbsiImage, IbsiSettingError } from "../../types.js";

/** Throws an IbsiSettingError naming the first inconsistent part of `image`. */
export function checkIbsiImage(image: IbsiImage, family: string): void {
  const { size, spacing } = image;
  if (size.length !== 3 || size.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new IbsiSettingError(
      `${family}: size must be three positive integers, got [${size.join(", ")}]`,
    );
  }
  if (spacing.length !== 3 || spacing.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new IbsiSettingError(
      `${family}: spacing must be three positive finite numbers (mm), got [${spacing.join(", ")}]`,
    );
  }
  const voxels = size[0] * size[1] * size[2];
  const arrays = [
    ["intensities", image.intensities],
    ["morphologicalMask", image.morphologicalMask],
    ["intensityMask", image.intensityMask],
  ] as const;
  for (const [name, array] of arrays) {
    if (array.length !== voxels) {
      throw new IbsiSettingError(
        `${family}: ${name} has ${array.length} voxels, size ${size.join("x")} needs ${voxels}`,
      );
    }
  }
}
