/**
 * Node's native base64 decoder for the embedded WebAssembly kernels (src/kernels/wasm.ts), installed
 * by importing this module (files.ts does, so every Node entry that reads images has it): decoding
 * the module with atob and a JavaScript loop costs ~2 ms in a cold process or worker, Buffer's
 * native decoder ~0.1 ms. The browser keeps atob.
 */
import { setBase64Decoder } from "../kernels/wasm.js";

setBase64Decoder((base64) => {
  const buffer = Buffer.from(base64, "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
});
