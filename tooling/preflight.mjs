#!/usr/bin/env node
// Checks, before any test runs, that every system tool the suites call is on PATH (the list is
// tooling/system-requirements.json). Missing tools are installed with apt-get when this user may
// (root, or passwordless sudo) and PORTAL_PREFLIGHT_INSTALL is not 0; otherwise it stops at once,
// naming each tool and the command that installs it. Plain Node, no dependencies: it runs before
// anything is built and takes a few milliseconds when nothing is missing.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const { tools } = JSON.parse(readFileSync(new URL('./system-requirements.json', import.meta.url), 'utf8'));

const onPath = (command) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const missingTools = () => tools.filter((t) => !onPath(t.command));
const packagesOf = (list) => [...new Set(list.map((t) => t.package))];

const missing = missingTools();
if (missing.length === 0) process.exit(0);

const packages = packagesOf(missing);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = onPath('apt-get');
const canSudo = !isRoot && hasApt && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
const allowed = process.env.PORTAL_PREFLIGHT_INSTALL !== '0';

if (hasApt && (isRoot || canSudo) && allowed) {
  const prefix = isRoot ? [] : ['sudo', '-n'];
  console.log(`preflight: installing ${packages.join(', ')} (Debian packages for ${missing.map((t) => t.command).join(', ')}); once, then never again`);
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    const result = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      console.error(`preflight: \`${[...prefix, ...args].join(' ')}\` failed (exit ${result.status})`);
      process.exit(1);
    }
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...packages]);
  const still = missingTools();
  if (still.length === 0) process.exit(0);
  console.error(`preflight: still missing after the install: ${still.map((t) => t.command).join(', ')}`);
  process.exit(1);
}

console.error('preflight: the tests need system tools that are not installed:');
for (const t of missing) console.error(`  - ${t.command} (Debian package ${t.package}): ${t.usedBy}`);
console.error(
  hasApt
    ? `Install them with:\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\nthen run \`npm test\` again.`
    : `Install the packages above (${packages.join(', ')}) with your system's package manager, then run \`npm test\` again.`,
);
process.exit(1);
