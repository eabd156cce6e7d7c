// Lint config: typescript-eslint's recommended rules, the typed promise rule, and the project's
// boundaries (README "Layout"):
//   - only main/app may import electron ("What this machine cannot do"), and electron-store, which
//     loads electron (the app's own state, main/app/app-store.ts);
//   - main/core is the bottom of main/: it imports no face (main/cli, main/app) and not the
//     Claude Code installer (main/integration), which is built on core and used by the CLI;
//   - main/integration imports no face either; main/app does not import main/cli (what both need
//     lives in core or shared), nor main/cli main/app;
//   - shared/ and the popover (renderer/) run in the browser too: they import nothing from main/
//     and no Node module, and shared/ nothing from renderer/.
// Each layer has exactly one no-restricted-imports block below, since a later block matching the
// same file replaces the rule's options rather than adding to them.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electron = { name: 'electron', message: 'Only main/app may import electron.' };
const electronStore = { name: 'electron-store', message: 'Only main/app may import electron-store: it loads electron (the CLI shares cco-settings.json through main/core/settings.ts).' };
const appOnly = [electron, electronStore];

// Relative imports are matched as written: "(../)+" climbs to main/ (or the repository, then
// "main/"). A layer's own subfolder of the same name would match too; none exists.
const intoMain = (...layers) => `^(\\.\\./)+(main/)?(${layers.join('|')})/`;
const faces = { regex: intoMain('cli', 'app'), message: 'main/core and main/integration import no face (main/cli, main/app): move what both need into core or shared/.' };
const installer = { regex: intoMain('integration'), message: 'main/core does not import main/integration (the installer is built on core).' };
const cliFromApp = { regex: intoMain('cli'), message: 'main/app does not import main/cli: what both need lives in main/core or shared/.' };
const appFromCli = { regex: intoMain('app'), message: 'main/cli does not import main/app.' };
const anyMain = { regex: '(^|/)main/', message: 'shared/ and renderer/ import nothing from main/ (they run in the browser too).' };
const rendererFromShared = { regex: '(^|/)renderer/', message: 'shared/ does not import renderer/.' };
const node = {
  regex: `^(node:.*|(${builtinModules.filter((name) => !name.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'shared/ and renderer/ run in the browser too: no Node modules.',
};

const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/bench/data/**', 'coverage/**', 'renderer/dist/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'URL', 'performance', 'TextEncoder', 'TextDecoder', 'AbortController', 'structuredClone', 'queueMicrotask'].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Typed rules, TypeScript files only (each finds its tsconfig: the root one, or renderer/'s).
    // A promise nobody awaits loses its rejection; `void promise` says "on purpose".
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['shared/**'], rules: restrict(appOnly, [anyMain, rendererFromShared, node]) },
  { files: ['renderer/**'], rules: restrict(appOnly, [anyMain, node]) },
  { files: ['main/core/**'], rules: restrict(appOnly, [faces, installer]) },
  { files: ['main/integration/**'], rules: restrict(appOnly, [faces]) },
  { files: ['main/cli/**'], rules: restrict(appOnly, [appFromCli]) },
  { files: ['main/app/**'], rules: restrict([], [cliFromApp]) },
);
