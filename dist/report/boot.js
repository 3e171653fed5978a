const a=await import(new URL("pulse-dashboard.js",import.meta.url).href);await a.default({module_or_path:new URL("pulse-dashboard_bg.wasm",import.meta.url)});
