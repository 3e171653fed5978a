// Prints a wasm-metadce graph that keeps every export of the wasm but wasm-streams' `IntoUnderlying*`
// classes: server_fn links them in for streaming, the widget never calls them, and the glue only
// reaches them from those classes' own methods. Usage: node unused-exports.mjs WASM > graph.json
import { readFileSync } from "node:fs";

const wasm = new WebAssembly.Module(readFileSync(process.argv[2]));
const keep = WebAssembly.Module.exports(wasm).filter((e) => !/^(__wbg_)?intounderlying/.test(e.name));
console.log(JSON.stringify(keep.map((e) => ({ name: `keep_${e.name}`, root: true, export: e.name }))));
