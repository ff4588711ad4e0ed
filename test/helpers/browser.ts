import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium (apt-get install chromium); Playwright cannot download its own browser here. */
export const CHROMIUM_PATH = process.env.REPCHAIN_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Starts headless Chromium (Playwright gives it a fresh temporary profile). The background-networking
 * flags matter: without them Chromium keeps trying to reach Google's hosts, which this machine's
 * closed network refuses.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
