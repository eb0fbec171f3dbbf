// The logic vectors through the offline runtime in Node: node tests/offline/run-vectors.mjs [FOLDER]
// Prints {"checked": N, "failures": [...]} and exits 1 when anything differs from Python's answers.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runVectors } from "./check-vectors.mjs";

// The folder may be given (tests check that a changed vector fails); by default the stored vectors.
const folder = process.argv[2] || fileURLToPath(new URL("../data/logic-vectors/", import.meta.url));
const files = {};
for (const name of readdirSync(folder).filter((file) => file.endsWith(".json")).sort()) {
  files[name] = JSON.parse(readFileSync(join(folder, name), "utf8"));
}
const result = runVectors(files);
console.log(JSON.stringify(result, null, 1));
process.exit(result.failures.length || !result.checked ? 1 : 0);
