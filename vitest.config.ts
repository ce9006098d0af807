import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One runner for every suite, so one summary line covers them all (see scripts/test-all.mjs).
export default defineConfig({
  plugins: [react()],
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: {
    reporters: ['default'],
    // Every temp folder a test file makes is removed after it.
    setupFiles: ['tests/helpers/remove-temp-dirs.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', environment: 'node', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'component', environment: 'jsdom', include: ['tests/unit/**/*.test.tsx'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // The real gateway takes a CPU while it starts; one file at a time keeps timings sane on 2 cores.
          fileParallelism: false,
          // The reliability suite measures memory after a forced collection.
          execArgv: ['--expose-gc'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
