import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // electron-store imports electron itself: run it through vitest, so that a test's
    // vi.mock('electron') (test/fakes/electron.ts) reaches it too. Node would load the real one.
    server: { deps: { inline: ['electron-store'] } },
  },
});
