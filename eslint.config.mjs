// Lint, including the layer rule: shared imports nothing of ours; main, preload
// and renderer may import shared but not each other (see ../shared/docs/style.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const layer = (files, banned, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: banned.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  layer(['shared/**/*.ts'], ['**/main/**', '**/renderer/**', '**/preload/**', 'node:*', 'electron', 'react', 'ws'], 'shared/ is plain TypeScript: no Node, DOM, Electron or other layers'),
  layer(['main/**/*.ts'], ['**/renderer/**', '**/preload/**'], 'main/ may import shared/ only'),
  layer(['main/client/**/*.ts', 'main/hub/**/*.ts', 'main/system/**/*.ts', 'main/device/**/*.ts', 'main/cli/**/*.ts', 'main/serve/**/*.ts', 'main/page/**/*.ts', 'main/core/**/*.ts', 'main/history/**/*.ts'], ['electron', '**/renderer/**', '**/preload/**'], 'this folder runs in plain Node: no electron import'),
  layer(['renderer/**/*.{ts,tsx}'], ['**/main/**', '**/preload/**', 'electron', 'node:*', 'ws'], 'the renderer talks to main only through the bridge'),
  layer(['preload/**/*.ts'], ['**/main/**', '**/renderer/**'], 'preload may import shared/ only'),
  // Tests: a suite imports its own folder and tests/helpers/, never another suite's folder,
  // so anything two suites (or a benchmark) share lives in tests/helpers/.
  layer(['tests/unit/**/*.{ts,tsx}'], ['**/integration/**', '**/e2e/**'], 'import shared test code from tests/helpers/, not from another suite'),
  layer(['tests/integration/**/*.{ts,mts,mjs}'], ['**/unit/**', '**/e2e/**'], 'import shared test code from tests/helpers/, not from another suite'),
  layer(['tests/e2e/**/*.ts'], ['**/unit/**', '**/integration/**'], 'import shared test code from tests/helpers/, not from another suite'),
  layer(['tests/helpers/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'], ['**/tests/unit/**', '**/tests/integration/**', '**/tests/e2e/**', '../unit/**', '../integration/**', '../e2e/**'], 'helpers, benchmarks and scripts import test code from tests/helpers/ only'),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
