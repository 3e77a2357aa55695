import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'calibrate_boot' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'calibrate_boot' has no parity handler yet");
};
export default handler;
