/**
 * Voxel-based feature maps (issue #12): `extractVoxelMaps` in process on every run of
 * ../shared/reference/pyradiomics/oracle_voxel, against PyRadiomics' `execute(voxelBased=True)` times
 * measured on this machine type (its TIMINGS.csv, medians of 3 in-process runs). Prints, with the
 * images read once outside the timing: the first run of each case in this process (what a one-off
 * `radscore extract --voxel` pays: the JavaScript around the WebAssembly kernels not yet optimised)
 * and the median of 5 runs after 20 warm-up runs (steady state, as in a batch or the web app), each
 * with its ratio to PyRadiomics (target >= 50x), and `node -e 0` for scale.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseParams } from "../src/extract/params.js";
import { extractVoxelMaps } from "../src/extract/voxel.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { readImageFile } from "../src/node/files.js";
import { referenceDir } from "../test/support/reference.js";

const ref = referenceDir();
if (!ref) {
  console.log("no reference folder (../shared/reference): nothing to compare with");
  process.exit(1);
}
const py = join(ref, "pyradiomics");
const t0 = performance.now();
spawnSync(process.execPath, ["-e", "0"]);
console.log(`node -e 0: ${((performance.now() - t0) / 1000).toFixed(3)} s`);
const timings = new Map(
  readFileSync(join(py, "oracle_voxel", "TIMINGS.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .map((c): [string, number] => [`${c[0]}__${c[1]}`, Number(c[3])]),
);
const rows = readFileSync(join(py, "oracle_voxel", "INDEX.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1);
for (const row of rows) {
  const [, paramsName, imagePath, maskPath, label, , , , , dir] = row.split(",");
  const params = parseParams(
    readFileSync(join(py, "params", `${paramsName}.yaml`), "utf8"),
    FEATURE_CATALOGUE,
  );
  const image = await readImageFile(join(py, imagePath!));
  const mask = await readImageFile(join(py, maskPath!));
  const once = () => {
    const t = performance.now();
    extractVoxelMaps(image, mask, params, { label: Number(label) });
    return (performance.now() - t) / 1000;
  };
  const first = once();
  for (let k = 0; k < 20; k++) once();
  const runs = Array.from({ length: 5 }, once).sort((a, b) => a - b);
  const median = runs[2]!;
  const theirs = timings.get(dir!)!;
  console.log(
    `${dir}: PyRadiomics ${theirs.toFixed(3)} s; radscore first run ${first.toFixed(3)} s (${(theirs / first).toFixed(1)}x), warm ${median.toFixed(4)} s (${(theirs / median).toFixed(1)}x) (target 50x)`,
  );
}
