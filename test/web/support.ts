/** The dashboard suites' harness: kubetally's API and web page over a ledger, and a headless Chromium. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ensureAdminToken } from '../../src/api/bootstrap.js';
import { buildServer } from '../../src/api/server.js';
import type { AppContext } from '../../src/app/context.js';
import { registerDashboard } from '../../src/web/dashboard.js';

export const CHROMIUM = process.env.KUBETALLY_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export interface Dashboard {
  url: string;
  browser: Browser;
  /** Closes the browser, then the server. */
  close(): Promise<void>;
}

/** Serves `ctx` on a free port with `admin` as an admin token, and launches Chromium. */
export async function startDashboard(ctx: AppContext, admin: string): Promise<Dashboard> {
  await ensureAdminToken(ctx, admin);
  const { app } = await buildServer(ctx, { logger: false });
  await registerDashboard(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}
