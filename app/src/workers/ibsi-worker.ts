/**
 * IBSI worker: extracts one case's IBSI-mode features (src/ibsi) off the page's thread, exactly as
 * `radscore extract IMAGE MASK -p CONFIG --standard ibsi` does (config parsed from its text, the
 * config's own label, the CLI's CSV writer), so the page stays responsive and its CSV is the CLI's.
 */
import { parseIbsiConfig } from "../../../src/ibsi/config.js";
import { extractIbsiFeatures } from "../../../src/ibsi/extract.js";
import { ibsiFeaturesToCsv } from "../../../src/ibsi/table.js";
import type { IbsiJob, IbsiReply } from "./ibsi-protocol.js";
import { workerScope } from "./scope.js";

function run(job: IbsiJob): IbsiReply {
  const config = parseIbsiConfig(job.configText, job.configName);
  const { features } = extractIbsiFeatures(job.image, job.mask, config);
  return { id: job.id, ok: true, features, csv: ibsiFeaturesToCsv(features) };
}

workerScope.addEventListener("message", (event: MessageEvent) => {
  const job = event.data as IbsiJob;
  let reply: IbsiReply;
  try {
    reply = run(job);
  } catch (error) {
    reply = {
      id: job.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  workerScope.postMessage(reply);
});
