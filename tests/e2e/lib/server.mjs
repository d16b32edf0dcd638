// Starts a real server for the end-to-end tests: scripts/run-server.sh
// (Orthanc + our plugin, behind its nginx front) on free ports with a
// temporary state folder, and stops it again.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const buildDir = path.resolve(repoRoot, process.env.BUILD_DIR ?? 'build');
// Orthanc resolves a relative plugin path from its configuration folder, not
// from here: always hand it an absolute one.
export const pluginPath = path.resolve(repoRoot, process.env.PLUGIN ?? path.join(buildDir, 'libmedical-image-server.so'));
export const usersTool = path.join(buildDir, 'medical-image-server-users');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function randomPassword() {
  return randomBytes(18).toString('base64url');
}

/** A TCP port nobody listens on right now (the kernel's choice). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const running = new Set();
// Last resort when the test process ends without calling stop (a crash, an
// uncaught error): never leave a server behind.
process.once('exit', () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** `count` distinct free ports. */
async function freePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/**
 * Starts the server and waits until GET /api/health answers. With `front`
 * (the default) the base URLs are nginx's, as users reach the server;
 * without it Orthanc alone answers on baseUrl (FRONT=0), for what the plugin
 * itself answers. Returns { baseUrl, httpsUrl, orthancUrl, stateDir,
 * logFile, adminPassword, stop() }.
 */
export async function startServer({ startTimeoutMs = 40_000, front = true } = {}) {
  for (const file of [pluginPath, usersTool]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the plugin first (make build)`);
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mis-e2e-'));
  const logFile = path.join(stateDir, 'server.log');
  const [httpPort, httpsPort, orthancPort, dicomPort] = await freePorts(4);
  const adminPassword = randomPassword();

  const log = fs.openSync(logFile, 'a');
  const child = spawn(path.join(repoRoot, 'scripts/run-server.sh'), [], {
    cwd: repoRoot,
    env: {
      ...process.env,
      FRONT: front ? '1' : '0',
      HTTP_PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      ORTHANC_HTTP_PORT: String(orthancPort),
      DICOM_PORT: String(dicomPort),
      STATE_DIR: stateDir,
      PLUGIN: pluginPath,
      MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD: adminPassword,
    },
    stdio: ['ignore', log, log],
    detached: true, // its own process group: stop() ends all of it
  });
  fs.closeSync(log);
  running.add(child);
  let exitStatus = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      running.delete(child);
      resolve(exitStatus);
    });
  });

  async function stop({ keepState = false } = {}) {
    if (exitStatus === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const stopped = await Promise.race([exited, sleep(15_000).then(() => null)]);
      if (stopped === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited;
      }
    }
    if (!keepState) fs.rmSync(stateDir, { recursive: true, force: true });
  }

  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitStatus !== null) {
      const why = tail(logFile);
      await stop({ keepState: true });
      throw new Error(`the server exited during start-up (${JSON.stringify(exitStatus)}):\n${why}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const why = tail(logFile);
      await stop({ keepState: true });
      throw new Error(`no answer from ${baseUrl}/api/health within ${startTimeoutMs} ms:\n${why}`);
    }
    await sleep(200);
  }
  const httpsUrl = front ? `https://localhost:${httpsPort}` : null;
  const orthancUrl = front ? `http://127.0.0.1:${orthancPort}` : baseUrl;
  return { baseUrl, httpsUrl, orthancUrl, stateDir, logFile, adminPassword, stop };
}

/** Adds a user with the users tool (password on standard input). */
export function addUser(stateDir, name, password, { admin = false } = {}) {
  const args = ['--database', path.join(stateDir, 'storage', 'users.sqlite'), 'add', name];
  if (admin) args.push('--admin');
  const result = spawnSync(usersTool, args, { input: `${password}\n`, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) {
    throw new Error(`users tool failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

/**
 * Waits until the sample volume from data/ is fully imported: the middle
 * slice of the default volume is chosen among all `slices` slices.
 */
export async function waitForDefaultVolume(baseUrl, user, password, { slices = 33, timeoutMs = 60_000 } = {}) {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/api/middle-slice/info`, {
        headers: { authorization },
        signal: AbortSignal.timeout(5000),
      });
      const body = await response.text();
      last = `${response.status} ${body.slice(0, 200)}`;
      if (response.ok && JSON.parse(body).count === slices) return;
    } catch (error) {
      last = String(error);
    }
    await sleep(300);
  }
  throw new Error(`the default volume did not reach ${slices} slices in ${timeoutMs} ms (last answer: ${last})`);
}
