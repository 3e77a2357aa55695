import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'group_comparison' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'group_comparison' has no parity handler yet");
};
export default handler;
