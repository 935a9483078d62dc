import { defineConfig } from '@playwright/test';

/**
 * Browser tests run in Debian's chromium (/usr/bin/chromium): no browser is
 * downloaded. scripts/test.sh builds the portal, starts the backend serving it
 * and sets PLAYWRIGHT_URL; without it, Playwright starts `yarn start` itself.
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          command: 'bash scripts/start.sh',
          url: 'http://localhost:3000',
          reuseExistingServer: true,
          timeout: 300_000,
        },
      ],
  use: {
    // The size the portal is judged at (issue "The portal as a place people work").
    viewport: { width: 1440, height: 900 },
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  outputDir: 'node_modules/.cache/e2e-test-results',
});
