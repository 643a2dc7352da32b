// Finds a system Chromium for the browser tests; on Debian/Ubuntu as root, installs it with apt.
// Playwright cannot download its own browser on machines without general internet access.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const found = candidates.find((p) => p && fs.existsSync(p));
if (found) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (root && fs.existsSync('/usr/bin/apt-get')) {
  process.stdout.write('Chromium not found: installing it with apt-get (Debian package "chromium")...\n');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  process.exit(0);
}
process.stderr.write(
  'The browser tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.\n',
);
process.exit(1);
