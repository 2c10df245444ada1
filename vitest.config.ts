import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Vitest's default is one worker per core less one: a single worker on the 2-core
    // machines this runs on, idle while a test waits on a child process, a browser or a
    // socket. Two workers took the suite from about 6 to 4 minutes; tests wait for
    // conditions, not for time, so they hold under that load.
    maxWorkers: 2,
  },
});
