import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'sklearn_selection' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'sklearn_selection' has no parity handler yet");
};
export default handler;
