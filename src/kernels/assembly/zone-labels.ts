/**
 * IBSI mode's zone labelling (src/ibsi/features/zone-labelling.ts documents it): voxels of equal
 * grey level > 0 linked through the given neighbour offsets, flood-filled with an explicit stack
 * from seeds in raster order, so zones are numbered as the TypeScript numbered them. The grid has
 * a zero border (no offset leaves it from a voxel of level > 0).
 *
 * levels (i32 n); offsets (i32 offsetCount); zoneOf (i32 n, filled here: -1 outside the mask);
 * stack (i32 n); level, size, slice (i32, one per zone, at most n). Returns the zone count.
 */
export function ibsiLabelZones(
  levels: usize,
  n: i32,
  nxy: i32,
  offsets: usize,
  offsetCount: i32,
  zoneOf: usize,
  stack: usize,
  level: usize,
  size: usize,
  slice: usize,
): i32 {
  for (let v = 0; v < n; v++) store<i32>(zoneOf + ((<usize>v) << 2), -1);
  let zones = 0;
  for (let seed = 0; seed < n; seed++) {
    const g = load<i32>(levels + ((<usize>seed) << 2));
    if (g <= 0 || load<i32>(zoneOf + ((<usize>seed) << 2)) >= 0) continue;
    const zone = zones;
    zones++;
    store<i32>(zoneOf + ((<usize>seed) << 2), zone);
    let voxels = 0;
    store<i32>(stack, seed);
    let top = 1;
    while (top > 0) {
      top--;
      const v = load<i32>(stack + ((<usize>top) << 2));
      voxels++;
      for (let o = 0; o < offsetCount; o++) {
        const w = v + load<i32>(offsets + ((<usize>o) << 2));
        const at = zoneOf + ((<usize>w) << 2);
        if (load<i32>(levels + ((<usize>w) << 2)) !== g || load<i32>(at) >= 0) continue;
        store<i32>(at, zone);
        store<i32>(stack + ((<usize>top) << 2), w);
        top++;
      }
    }
    store<i32>(level + ((<usize>zone) << 2), g);
    store<i32>(size + ((<usize>zone) << 2), voxels);
    store<i32>(slice + ((<usize>zone) << 2), seed / nxy);
  }
  return zones;
}
