import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'icc' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'icc' has no parity handler yet");
};
export default handler;
