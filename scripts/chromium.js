// How every browser run here starts Chromium: Debian's build (or CHROME_PATH), never a downloaded one.

export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * Headless as root, without a GPU or a large /dev/shm, and without the background services that would
 * try to reach the network and fail on a machine that has only loopback.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
