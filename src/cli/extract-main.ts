/**
 * Entry of `radscore extract` alone: the same command definition as the full program, bundled as
 * one CommonJS script (dist/cli/extract.cjs) that main.ts compiles with V8's code cache, so a cold
 * extraction skips most parsing and bytecode compilation (see scripts/bundle-cli.mjs).
 */
import { addExtractCommand, radscoreProgram, runProgram } from "./extract-command.js";

const program = radscoreProgram();
addExtractCommand(program);
runProgram(program);
