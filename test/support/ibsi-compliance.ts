/**
 * IBSI-1 compliance of radscore's IBSI mode, one configuration at a time: the phantom through
 * `extractIbsiFeatures` with the ready parameter file (ibsi/<file>.yaml), each IBSI reference value
 * beside ours. Shared by the acceptance test (test/ibsi1-compliance.test.ts) and the report script
 * (scripts/ibsi1-compliance.mjs, which writes docs/ibsi1-compliance.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIbsiConfig } from "../../src/ibsi/config.js";
import { extractIbsiFeatures } from "../../src/ibsi/extract.js";
import type { IbsiFeatureValue } from "../../src/ibsi/types.js";
import type { Volume } from "../../src/image/volume.js";
import { readImageFile } from "../../src/node/files.js";
import {
  agreesWithIbsi,
  type IbsiConfiguration,
  type IbsiReferenceValue,
  ibsi1ReferenceValues,
  ibsiDir,
  readCtPhantom,
} from "./ibsi.js";

export const IBSI1_CONFIGURATIONS: readonly IbsiConfiguration[] = [
  "digital_phantom",
  "A",
  "B",
  "C",
  "D",
  "E",
];

export interface ComplianceRow {
  reference: IbsiReferenceValue;
  /** Ours; undefined when radscore did not report the feature. */
  got: IbsiFeatureValue | undefined;
  agrees: boolean;
}

export interface ComplianceResult {
  configuration: IbsiConfiguration;
  /** One row per IBSI reference value (features IBSI gives no value for are left out). */
  rows: ComplianceRow[];
  seconds: number;
}

/** The ready parameter file of a configuration, relative to the repository root. */
export function readyFileOf(configuration: IbsiConfiguration): string {
  return join(
    "ibsi",
    configuration === "digital_phantom"
      ? "digital-phantom.yaml"
      : `ct-config-${configuration}.yaml`,
  );
}

async function phantomOf(configuration: IbsiConfiguration): Promise<[Volume, Volume]> {
  if (configuration !== "digital_phantom") {
    const { image, mask } = await readCtPhantom();
    return [image, mask];
  }
  const base = join(ibsiDir()!, "ibsi1_phantoms", "ibsi_1_digital_phantom", "nifti");
  return Promise.all([
    readImageFile(join(base, "image", "phantom.nii.gz")),
    readImageFile(join(base, "mask", "mask.nii.gz")),
  ]);
}

/** Extracts a configuration's features and sets each beside its IBSI reference value. */
export async function ibsi1Compliance(
  configuration: IbsiConfiguration,
  root = ".",
): Promise<ComplianceResult> {
  const config = parseIbsiConfig(
    readFileSync(join(root, readyFileOf(configuration)), "utf8"),
    readyFileOf(configuration),
  );
  const [image, mask] = await phantomOf(configuration);
  const start = performance.now();
  const { features } = extractIbsiFeatures(image, mask, config);
  const seconds = (performance.now() - start) / 1000;
  const ours = new Map(features.map((f) => [`${f.tag}|${f.aggregation}`, f]));
  const rows: ComplianceRow[] = [];
  for (const [key, reference] of ibsi1ReferenceValues(configuration)) {
    if (reference.value === null) continue;
    const got = ours.get(key);
    rows.push({
      reference,
      got,
      agrees: got !== undefined && agreesWithIbsi(got.value, reference),
    });
  }
  return { configuration, rows, seconds };
}

/** "cm_joint_max (ITBB): ours 0.52 IBSI 0.519 +- 0.001" for a miss. */
export function describeMiss(row: ComplianceRow): string {
  const r = row.reference;
  const where = r.aggregation ? ` (${r.aggregation})` : "";
  const ours = row.got === undefined ? "not reported" : `ours ${row.got.value}`;
  const tolerance = r.tolerance !== null ? ` +- ${r.tolerance}` : " (3 significant digits)";
  const reason = row.got?.reason ? ` [${row.got.reason}]` : "";
  return `${r.tag}${where}: ${ours}, IBSI ${r.value}${tolerance}${reason}`;
}
