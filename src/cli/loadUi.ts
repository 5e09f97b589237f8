// Loads the ink session (dist/ui.js, an ES module bundle) from the CommonJS CLI bundle.
// bin/clawdeploy.mjs runs the CLI through vm.Script with a V8 code cache, and a script restored
// from a code cache has no dynamic import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING: the
// session crashed on its second run in a terminal). So the import is made by bin/clawdeploy.mjs,
// a real ES module, through the hook it installs; without it (tsx, tests) a plain import().
type UiModule = typeof import('../ui/run.js');
type ImportHook = (url: string) => Promise<unknown>;

export async function loadUi(): Promise<UiModule> {
  const hook = (globalThis as { __clawdeployImport?: ImportHook }).__clawdeployImport;
  if (hook) return (await hook(new URL('./ui.js', import.meta.url).href)) as UiModule;
  return import('../ui/run.js');
}
