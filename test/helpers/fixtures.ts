// The fixture helpers live in src/demo/fixtures.ts (the demo uses them too); tests import them here.
export * from '../../src/demo/fixtures.js';
