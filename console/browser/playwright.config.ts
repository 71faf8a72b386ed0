import { defineConfig } from '@playwright/test';

// Browser tests against the running local stack (./berth up): Debian's Chromium, never a
// downloaded browser (docs/adr/0046-console.md). tests/e2e/console.sh runs them in ./berth test.
const gateway = process.env.BERTH_GATEWAY ?? 'http://127.0.0.1:5000';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'results/output',
  // One browser at a time: the stack and the browser share two cores.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['junit', { outputFile: 'results/junit.xml' }]],
  use: {
    baseURL: gateway,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    },
  },
  projects: [
    { name: 'laptop', use: { viewport: { width: 1366, height: 800 } } },
  ],
});
