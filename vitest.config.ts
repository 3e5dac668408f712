import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start their own livekit-server and time protocol events: on a 2-core
    // machine running files side by side makes the 3 s answer deadline flaky, so files run one by one.
    fileParallelism: false,
    reporters: ['default', './test/harness/summary-reporter.ts'],
  },
});
