// Shared Vitest settings: resolve workspace packages to their ./src through the `@pacskit/source`
// export condition (no build needed), and write a JSON report that scripts/summarize-tests.mjs adds up.
import type { ViteUserConfig } from 'vitest/config';

export const workspaceCondition = '@pacskit/source';

/**
 * `report` names the JSON report (`.test-results/<report>.json`); a package that runs its suite
 * twice (the archive: embedded and PostgreSQL storage) writes one report per run.
 */
export function pacskitTestConfig(test: ViteUserConfig['test'] = {}, report = 'vitest'): ViteUserConfig {
  return {
    resolve: { conditions: [workspaceCondition, 'module', 'browser', 'development|production'] },
    ssr: { resolve: { conditions: [workspaceCondition, 'module', 'node', 'development|production'] } },
    test: {
      reporters: ['default', ['json', { outputFile: `.test-results/${report}.json` }]],
      ...test,
    },
  };
}
