// Runs before the editor's modules. Zod compiles parsers with `new Function` when it can, and probes for
// it when the first schema is built; the editor runs under a Content-Security-Policy without
// 'unsafe-eval' (apps/server/src/editor.ts), where that probe is reported as a violation. Jitless parsing
// is the same parsing, without the probe. Zod reads this object as its global config.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
