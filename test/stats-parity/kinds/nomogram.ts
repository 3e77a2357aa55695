import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'nomogram' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'nomogram' has no parity handler yet");
};
export default handler;
