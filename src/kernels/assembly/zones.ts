/**
 * GLSZM zone labelling (binding and documentation: src/kernels/zones.ts; PyRadiomics
 * calculate_glszm / fill_glszm). `work` is a copy of the zero-bordered grid (ROI cells hold their
 * level >= 1); a cell is set to 0 when it joins a zone, so one look-up tells both "same level" and
 * "not yet assigned". Every ROI voxel not yet assigned, in ROI order, seeds a zone grown with an
 * explicit stack over the neighbour offsets. Writes each zone's level and size; returns the number
 * of zones and stores the largest size at result. Also, unless their pointers are 0 (IBSI mode's
 * labelling, src/ibsi/features/zone-labelling.ts; glszmZones passes 0), each zone voxel's zone
 * number in zoneOf and each zone's seed voxel in zoneSeed.
 */
export function glszmLabelledZones(
  work: usize,
  roiVoxels: usize,
  roiCount: i32,
  offsets: usize,
  angleCount: i32,
  stack: usize,
  zoneLevel: usize,
  zoneSize: usize,
  largest: usize,
  zoneOf: usize,
  zoneSeed: usize,
): i32 {
  let zoneCount = 0;
  let maxZoneSize = 0;
  for (let r = 0; r < roiCount; r++) {
    const seed = load<i32>(roiVoxels + ((<usize>r) << 2));
    const level = load<i32>(work + ((<usize>seed) << 2));
    if (level <= 0) continue;
    let top = 0;
    store<i32>(stack, seed);
    top++;
    store<i32>(work + ((<usize>seed) << 2), 0);
    if (zoneOf !== 0) store<i32>(zoneOf + ((<usize>seed) << 2), zoneCount);
    let size = 0;
    while (top > 0) {
      top--;
      const v = load<i32>(stack + ((<usize>top) << 2));
      size++;
      for (let a = 0; a < angleCount; a++) {
        const w = v + load<i32>(offsets + ((<usize>a) << 2));
        const at = work + ((<usize>w) << 2);
        if (load<i32>(at) === level) {
          store<i32>(at, 0);
          if (zoneOf !== 0) store<i32>(zoneOf + ((<usize>w) << 2), zoneCount);
          store<i32>(stack + ((<usize>top) << 2), w);
          top++;
        }
      }
    }
    store<i32>(zoneLevel + ((<usize>zoneCount) << 2), level);
    store<i32>(zoneSize + ((<usize>zoneCount) << 2), size);
    if (zoneSeed !== 0) store<i32>(zoneSeed + ((<usize>zoneCount) << 2), seed);
    zoneCount++;
    if (size > maxZoneSize) maxZoneSize = size;
  }
  store<i32>(largest, maxZoneSize);
  return zoneCount;
}

/** glszmZones without the labels (the PyRadiomics mode's GLSZM and voxel maps). */
export function glszmZones(
  work: usize,
  roiVoxels: usize,
  roiCount: i32,
  offsets: usize,
  angleCount: i32,
  stack: usize,
  zoneLevel: usize,
  zoneSize: usize,
  largest: usize,
): i32 {
  return glszmLabelledZones(
    work,
    roiVoxels,
    roiCount,
    offsets,
    angleCount,
    stack,
    zoneLevel,
    zoneSize,
    largest,
    0,
    0,
  );
}
