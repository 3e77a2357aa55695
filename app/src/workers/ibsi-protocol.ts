/** Messages between the page and the IBSI worker (ibsi-worker.ts). */
import type { IbsiFeatureValue } from "../../../src/ibsi/types.js";
import type { Volume } from "../../../src/image/volume.js";

export interface IbsiJob {
  id: number;
  image: Volume;
  mask: Volume;
  /** The IBSI parameter file's YAML text, and its name for messages. */
  configText: string;
  configName: string;
}

export type IbsiReply =
  | { id: number; ok: true; features: IbsiFeatureValue[]; csv: string }
  | { id: number; ok: false; error: string };
