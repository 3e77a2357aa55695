/**
 * Entry of `radscore dicom` alone, bundled as one CommonJS script (dist/cli/dicom.cjs) that main.ts
 * compiles with V8's code cache, as for extract (see scripts/bundle-cli.mjs): a one-off conversion
 * is mostly start-up.
 */
import { addDicomCommands } from "./dicom-command.js";
import { radscoreProgram, runProgram } from "./extract-command.js";

const program = radscoreProgram();
addDicomCommands(program);
runProgram(program);
