/**
 * The neighbour pass shared by GLCM, GLDM and NGTDM (binding and documentation:
 * src/kernels/neighbour-tallies.ts). For every ROI voxel v (a cell of the zero-bordered grid, where
 * ROI cells hold their level >= 1, non-ROI cells 0 and the border -1) and every GLCM angle's offset o,
 * with w = v + o an ROI cell: GLCM count [angle][level(v)][level(w)] += 1, and, both ways, the NGTDM
 * neighbour count and level sum and the GLDM dependence (|level(v) - level(w)| <= alpha) of v and w.
 * Integer tallies: the visiting order cannot change them. A zero output pointer skips that tally.
 */
export function neighbourTallies(
  grid: usize,
  roiVoxels: usize,
  roiCount: i32,
  offsets: usize,
  angleCount: i32,
  levelIndex: usize,
  levels: i32,
  alpha: f64,
  glcm: usize,
  dependent: usize,
  neighbours: usize,
  sums: usize,
): void {
  const nn = levels * levels;
  if (glcm) memory.fill(glcm, 0, (<usize>(angleCount * nn)) << 2);
  for (let r = 0; r < roiCount; r++) {
    const v = (<usize>load<i32>(roiVoxels + ((<usize>r) << 2))) << 2;
    if (dependent) store<i32>(dependent + v, 0);
    if (neighbours) {
      store<i32>(neighbours + v, 0);
      store<i32>(sums + v, 0);
    }
  }
  for (let r = 0; r < roiCount; r++) {
    const vi = load<i32>(roiVoxels + ((<usize>r) << 2));
    const v = (<usize>vi) << 2;
    const level = load<i32>(grid + v);
    const row = load<i32>(levelIndex + ((<usize>level) << 2)) * levels;
    let ownNeighbours = 0;
    let ownSum = 0;
    let ownDependent = 0;
    let base = row;
    for (let a = 0; a < angleCount; a++, base += nn) {
      const w = (<usize>(vi + load<i32>(offsets + ((<usize>a) << 2)))) << 2;
      const h = load<i32>(grid + w);
      if (h <= 0) continue;
      if (glcm) {
        const at = glcm + ((<usize>(base + load<i32>(levelIndex + ((<usize>h) << 2)))) << 2);
        store<i32>(at, load<i32>(at) + 1);
      }
      if (neighbours) {
        ownNeighbours++;
        ownSum += h;
        store<i32>(neighbours + w, load<i32>(neighbours + w) + 1);
        store<i32>(sums + w, load<i32>(sums + w) + level);
      }
      if (dependent && <f64>abs(level - h) <= alpha) {
        ownDependent++;
        store<i32>(dependent + w, load<i32>(dependent + w) + 1);
      }
    }
    if (neighbours) {
      store<i32>(neighbours + v, load<i32>(neighbours + v) + ownNeighbours);
      store<i32>(sums + v, load<i32>(sums + v) + ownSum);
    }
    if (dependent) store<i32>(dependent + v, load<i32>(dependent + v) + ownDependent);
  }
}
