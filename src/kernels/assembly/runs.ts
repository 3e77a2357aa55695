/**
 * GLRLM run counting (binding and documentation: src/kernels/runs.ts). For each angle's grid step s
 * and each ROI voxel v of the zero-bordered grid that starts a run (its predecessor v - s is not of
 * its level): the run's length L (voxels v, v + s, ... of the same level), counted at
 * counts[angle][levelIndex[level]][L - 1] (doubles, as the matrices are processed as doubles).
 * adjacent[angle] = 1 when some run is longer than one voxel or ends on another ROI voxel.
 */
export function glrlmRuns(
  grid: usize,
  roiVoxels: usize,
  roiCount: i32,
  steps: usize,
  angleCount: i32,
  levelIndex: usize,
  maxRun: i32,
  levels: i32,
  counts: usize,
  adjacent: usize,
): void {
  const block = levels * maxRun;
  memory.fill(counts, 0, (<usize>(angleCount * block)) << 3);
  for (let a = 0; a < angleCount; a++) {
    const step = load<i32>(steps + ((<usize>a) << 2));
    const base = a * block;
    let touching = 0;
    for (let r = 0; r < roiCount; r++) {
      const v = load<i32>(roiVoxels + ((<usize>r) << 2));
      const level = load<i32>(grid + ((<usize>v) << 2));
      if (load<i32>(grid + ((<usize>(v - step)) << 2)) === level) continue;
      let j = v + step;
      while (load<i32>(grid + ((<usize>j) << 2)) === level) j += step;
      const run = (j - v) / step;
      if (run > 1 || load<i32>(grid + ((<usize>j) << 2)) > 0) touching = 1;
      const at =
        counts +
        ((<usize>(base + load<i32>(levelIndex + ((<usize>level) << 2)) * maxRun + run - 1)) << 3);
      store<f64>(at, load<f64>(at) + 1);
    }
    store<i32>(adjacent + ((<usize>a) << 2), touching);
  }
}
