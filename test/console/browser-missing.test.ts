import { describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';

describe('the console’s browser tests without Chromium', () => {
  it('fail with a message naming the package to install, not playwright’s "executable doesn’t exist"', async () => {
    await expect(launchBrowser('/nonexistent/chromium')).rejects.toThrow(/there is none at \/nonexistent\/chromium\. Install Debian's chromium package \(sudo apt-get install chromium/);
  });
});
