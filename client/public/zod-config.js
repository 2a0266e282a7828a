// Run before the app's modules, so before any schema exists: zod's fast path compiles parsers with
// `new Function`, which the page's Content-Security-Policy forbids (no 'unsafe-eval',
// docs/security.md). zod works without it, but its probe for eval, run as each object schema is
// made, would be reported as a violation. zod keeps its global configuration under this name.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
