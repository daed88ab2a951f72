/**
 * Names what this code renders from Markdown: renders kept in KV are keyed by it. It is a hash of
 * render.ts, the modules it imports and the versions of its libraries;
 * tests/unit/renderer-version.test.ts fails, and says the new value, when they change and this
 * does not.
 */
export const RENDERER_VERSION = '575f0499'
