/**
 * The demo cohort in the browser: the same synthetic two-centre cohort, parameters and study.yaml
 * as `radscore demo --seed N` (src/study/demo-study.ts), with images generated inside the
 * extraction workers from the seed (nothing to upload, nothing to store).
 */
import { formatCsv } from "../../../src/io/csv.js";
import { DEMO_SEQUENCES, type DemoSequence } from "../../../src/study/demo-cohort.js";
import {
  clinicalCells,
  demoParamsYaml,
  demoStudyConfig,
  MANIFEST_HEADER,
  planDemoCohort,
} from "../../../src/study/demo-study.js";
import type { StudySource } from "../study/run.js";

export const DEFAULT_DEMO_SEED = 20250101;

export interface DemoStudy {
  seed: number;
  configRaw: Record<string, unknown>;
  configName: string;
  manifest: { name: string; text: string };
  source: StudySource;
  /** The files the demo's study.yaml and manifest name (generated on demand, never stored). */
  files: string[];
}

let lastDemo: DemoStudy | null = null;

/**
 * The manifest (with the CLI's relative image paths) and study.yaml of the demo of `seed`; the
 * last one is kept (the study form asks for its file list on every change).
 */
export function demoStudy(seed: number): DemoStudy {
  if (lastDemo?.seed !== seed) lastDemo = makeDemoStudy(seed);
  return lastDemo;
}

function makeDemoStudy(seed: number): DemoStudy {
  if (!Number.isInteger(seed) || seed < 1 || seed > 2147483647)
    throw new Error(`the demo seed must be a positive integer, got '${seed}'`);
  const planned = planDemoCohort(seed);
  const secondReader = new Map(planned.map((p) => [p.patient.id, p.secondReader]));
  const rows = planned.map(({ patient: p, secondReader: withSecond }) => [
    ...clinicalCells(p),
    ...DEMO_SEQUENCES.flatMap((s) => {
      const base = `images/${p.id}_${s}`;
      return [`${base}_image.nrrd`, `${base}_mask.nrrd`, withSecond ? `${base}_mask2.nrrd` : ""];
    }),
  ]);
  const configRaw = demoStudyConfig();
  const manifestName = (configRaw.cohort as { manifest: string }).manifest;
  const params = demoParamsYaml();
  const manifestDir = manifestName.includes("/")
    ? manifestName.slice(0, manifestName.lastIndexOf("/") + 1)
    : "";
  const files = [
    "params.yaml",
    ...rows.flatMap((row) =>
      row
        .slice(-3 * DEMO_SEQUENCES.length)
        .filter((cell) => cell !== "")
        .map((cell) => `${manifestDir}${cell}`),
    ),
  ];
  return {
    seed,
    files,
    configRaw,
    configName: "study.yaml",
    manifest: { name: manifestName, text: formatCsv(MANIFEST_HEADER, rows) },
    source: {
      image: (patient, sequence) => ({
        kind: "demo",
        seed,
        patient,
        sequence: sequence as DemoSequence,
        secondReader: secondReader.get(patient) ?? false,
      }),
      mask: (_patient, _sequence, reader) => ({
        kind: "demo",
        which: reader === 1 ? "mask" : "mask2",
      }),
      text: async (path) => {
        if (path === "params.yaml") return params;
        throw new Error(`the demo has no file '${path}'`);
      },
      defaultParams: () => params,
    },
  };
}
