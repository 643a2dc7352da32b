// The template tests compare Leadbell with real Jinja2 set up as Prefect sets it up: they need
// python3 with jinja2 and pydantic. On Debian/Ubuntu as root, installs them with apt.
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

// apt installs into Debian's python3, which may not be the one on PATH (pyenv, a venv).
const probe = () =>
  ['python3', '/usr/bin/python3'].some((py) => spawnSync(py, ['-c', 'import jinja2; from pydantic import RootModel'], { stdio: 'ignore' }).status === 0);
if (probe()) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (root && fs.existsSync('/usr/bin/apt-get')) {
  process.stdout.write('python3 with jinja2 and pydantic 2 not found: installing them with apt-get...\n');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-jinja2 python3-pydantic', { stdio: 'inherit' });
  if (probe()) process.exit(0);
}
process.stderr.write('The template tests need python3 with jinja2 and pydantic 2 (Debian/Ubuntu: apt-get install python3-jinja2 python3-pydantic).\n');
process.exit(1);
