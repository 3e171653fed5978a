// Gives the JS glue the short import and export names that binaryen's
// `--minify-imports-and-exports-and-modules` gave the wasm (its mapping is this script's input).
// wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` and both files carry every name:
// the hashes are what brotli cannot shrink. Usage: node short-names.mjs MAP.json WASM GLUE.js
import { readFileSync, writeFileSync } from "node:fs";

const [mapFile, wasmFile, glueFile] = process.argv.slice(2);
const map = JSON.parse(readFileSync(mapFile, "utf8"));
const wasm = new WebAssembly.Module(readFileSync(wasmFile));
let glue = readFileSync(glueFile, "utf8");

const fail = (why) => {
  console.error(`short-names.mjs: ${why}`);
  process.exit(1);
};
const replaceAll = (pattern, to, what) => {
  const before = glue;
  glue = glue.replace(pattern, to);
  if (glue === before) fail(`${what} is not in ${glueFile}`);
};
const word = (name) => name.replace(/[$]/g, "\\$");

// One import module before and after, or the glue's import object cannot be matched to it.
const oldModules = [...new Set(map.imports.map(([module]) => module))];
const newModules = [...new Set(WebAssembly.Module.imports(wasm).map((i) => i.module))];
if (oldModules.length !== 1 || newModules.length !== 1) fail(`expected one import module, got ${oldModules} → ${newModules}`);
replaceAll(JSON.stringify(oldModules[0]), JSON.stringify(newModules[0]), `the module ${oldModules[0]}`);
// Imports are the keys of the glue's import object; each name is unique to it.
for (const [, from, to] of map.imports) replaceAll(new RegExp(`\\b${word(from)}\\b`, "g"), to, `the import ${from}`);
// Exports are read from the instance as `wasm.<name>`; one the glue never reads needs nothing.
for (const [from, to] of map.exports) glue = glue.replace(new RegExp(`\\bwasm\\.${word(from)}\\b`, "g"), `wasm.${to}`);
// (The glue's own functions may share an export's name: esbuild renames those.)
const left = [
  ...map.imports.map(([, from]) => from).filter((name) => glue.includes(name)),
  ...map.exports.map(([from]) => `wasm.${from}`).filter((name) => glue.includes(name)),
];
if (left.length) fail(`still named in the glue: ${left.join(", ")}`);
writeFileSync(glueFile, glue);
