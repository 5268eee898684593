#!/usr/bin/env node
// `npm run test:readme` (and CI): runs the README's "Set up and run", "First request" and "Test"
// code blocks literally, line by line, in a throw-away clone of the committed HEAD, as a new user
// would on a fresh machine. `npm start` runs in the background until it prints that it is running;
// the "First request" block runs against it, must answer with the demo login, and then Ctrl+C
// (SIGINT) must stop it within 60 s. The "Test" block (`npm test`) then runs in the same clone.
// Plain Node without dependencies, so it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const keep = process.argv.includes('--keep');
// --setup-only: stop after the first request (a quick check of the set-up blocks while editing them).
const setupOnly = process.argv.includes('--setup-only');
// --also "<command>": one more command to run in the same clone after the Test block (CI: the resilience set).
const also = process.argv.includes('--also') ? process.argv[process.argv.indexOf('--also') + 1] : undefined;

/** The shell lines of the ```sh blocks in the section titled `title` (up to the next `## `). */
function blockLines(title) {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const lines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  const commands = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (commands.length === 0) throw new Error(`README.md "## ${title}" has no sh block`);
  return commands;
}

const setup = blockLines('Set up and run');
const firstRequest = blockLines('First request');
const test = blockLines('Test');

const clone = mkdtempSync(path.join(tmpdir(), 'portal-readme-'));
// A clone others can enter, like a checkout under /srv: as root the embedded PostgreSQL runs as `postgres`.
chmodSync(clone, 0o755);
const say = (text) => console.log(`\nreadme-check: ${text}`);
let started;

function run(command) {
  say(`$ ${command}`);
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd: clone, stdio: 'inherit', env: cleanEnv() });
  if (result.status !== 0) throw new Error(`\`${command}\` exited with ${result.status ?? result.signal}`);
}

/** The user's shell, without this run's npm/node settings leaking into the clone's commands. */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key === 'INIT_CWD' || key === 'NODE') delete env[key];
  env.PATH = (env.PATH ?? '').split(path.delimiter).filter((p) => !p.includes('node_modules')).join(path.delimiter);
  return env;
}

function startInBackground(command) {
  say(`$ ${command}   (in the background until it is running)`);
  const child = spawn('bash', ['-c', `exec ${command}`], { cwd: clone, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`\`${command}\` did not report that it is running within 10 minutes`)), 600_000);
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
      if (output.includes('Stop with Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`\`${command}\` exited (${code ?? signal}) before it was running`));
    });
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, ready, exited };
}

async function stop(proc, label) {
  say(`Ctrl+C to \`${label}\``);
  try {
    process.kill(-proc.child.pid, 'SIGINT');
  } catch {
    return;
  }
  const outcome = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
  if (outcome === 'timeout') {
    process.kill(-proc.child.pid, 'SIGKILL');
    throw new Error(`\`${label}\` did not stop within 60 s of Ctrl+C`);
  }
}

try {
  say(`cloning ${root} (HEAD) into ${clone}`);
  const cloned = spawnSync('git', ['clone', '--quiet', root, clone], { stdio: 'inherit' });
  if (cloned.status !== 0) throw new Error('git clone failed');
  for (const command of setup) {
    if (/^npm start\b/.test(command)) {
      started = startInBackground(command);
      await started.ready;
    } else run(command);
  }
  if (!started) throw new Error('the "Set up and run" section has no `npm start`');
  say('running the "First request" block against it');
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', firstRequest.join('\n')], { cwd: clone, env: cleanEnv(), encoding: 'utf8' });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.status !== 0) throw new Error(`the "First request" block exited with ${result.status}`);
  if (!/"loginId":"demo-admin"/.test(result.stdout)) throw new Error('the "First request" block did not answer with demo-admin\'s account');
  await stop(started, 'npm start');
  started = undefined;
  if (!setupOnly) for (const command of test) run(command);
  if (!setupOnly && also) run(also);
  say('README.md set-up, first request and test commands all passed');
} catch (error) {
  console.error(`\nreadme-check: FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (started) await stop(started, 'npm start').catch(() => undefined);
  if (keep) say(`kept ${clone}`);
  else rmSync(clone, { recursive: true, force: true });
}
