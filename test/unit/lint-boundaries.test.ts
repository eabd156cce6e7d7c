/**
 * The lint rules that keep the layers apart (eslint.config.js) fire: snippets linted with the
 * project's own config at paths inside each layer. Nothing is written to disk: the probe files
 * exist only in memory, so the typed parser is told to give them the root tsconfig's settings.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PROBES = ['main/*/lint-probe.ts', 'main/*/*/lint-probe.ts', 'shared/lint-probe.ts', 'renderer/src/lint-probe.ts'];
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES, defaultProject: 'tsconfig.json' } } } },
});

/** `dir`/lint-probe.ts linted: "line:rule:" per problem (a parse error shows its message). */
async function problems(dir: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${dir}/lint-probe.ts` });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? 'fatal'}:${m.ruleId === null ? m.message : ''}`);
}

describe('layer boundaries in lint', () => {
  it.each([
    ['main/core', "import { createIo } from '../cli/io.js';"],
    ['main/core/context', "import { createIo } from '../../cli/io.js';"],
    ['main/core', "import { createCoreActions } from '../app/core-actions.js';"],
    ['main/core', "import { install } from '../integration/installer.js';"],
    ['main/integration', "import { createIo } from '../cli/io.js';"],
    ['main/app', "import { renderCompactionBrief } from '../cli/render/context-panel.js';"],
    ['main/app', "import { createIo } from '../../main/cli/io.js';"],
    ['main/cli', "import { createCoreActions } from '../app/core-actions.js';"],
    ['shared', "import { statePaths } from '../main/core/paths.js';"],
    ['shared', "import fs from 'node:fs';"],
    ['shared', "import path from 'path';"],
    ['renderer/src', "import { statePaths } from '../../main/core/paths.js';"],
    ['renderer/src', "import { readFileSync } from 'fs';"],
    ['main/core', "import { app } from 'electron';"],
    ['main/core', "import Store from 'electron-store';"],
    ['main/cli', "import Store from 'electron-store';"],
    ['shared', "import Store from 'electron-store';"],
  ])('%s: %s is an error', async (file, line) => {
    expect(await problems(file, `${line}\nexport const used = [${/import (\w+)|\{ (\w+) \}/.exec(line)?.slice(1).find(Boolean)}];\n`)).toEqual(['1:no-restricted-imports:']);
  });

  it.each([
    ['main/app', "import { compactionBriefText } from '../core/context/brief-text.js';"],
    ['main/cli', "import { install } from '../integration/installer.js';"],
    ['main/core/context', "import { statePaths } from '../paths.js';"],
    ['renderer/src', "import { quotaLevelTone } from '../../shared/levels.js';"],
    ['main/app', "import { app } from 'electron';"],
    ['main/app', "import Store from 'electron-store';"],
  ])('%s: %s is allowed', async (file, line) => {
    expect(await problems(file, `${line}\nexport const used = [${/import (\w+)|\{ (\w+) \}/.exec(line)?.slice(1).find(Boolean)}];\n`)).toEqual([]);
  });

  it('a promise nobody awaits is an error; `void` marks one left on purpose', async () => {
    const code = 'async function work(): Promise<void> {}\nwork();\nvoid work();\nexport {};\n';
    expect(await problems('main/app', code)).toEqual(['2:@typescript-eslint/no-floating-promises:']);
  });
});
