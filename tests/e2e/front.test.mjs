// The HTTP front (nginx, orthanc-config/front/) in front of a real server,
// as users reach it: scripts/run-server.sh on free ports, then what the front
// promises (issue 15) with the clients people use: challenges and refusals,
// curl --anyauth, Python's urllib and httplib2, POSTed forms, early 413s,
// 429s, X-Forwarded-For, HTTPS with the self-signed certificate, idle
// connections.
//   node --test tests/e2e/front.test.mjs      (part of make test)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, randomPassword, repoRoot, startServer, waitForDefaultVolume } from './lib/server.mjs';

const sampleFile = path.join(repoRoot, 'tests/data/1-101.dcm');
const sample = fs.readFileSync(sampleFile);
const user = 'front-user';
const challenge = 'Basic realm="Medical Image Server", charset="UTF-8"';
// Debian's python3, which has Debian's python3-httplib2 (not a virtualenv's).
const python = '/usr/bin/python3';

let server;
let password;
let work;

/** MedicalImageServer.MaxUploadMegabytes of the shipped configuration, in bytes. */
function uploadLimitBytes() {
  const config = fs.readFileSync(path.join(repoRoot, 'orthanc-config/orthanc.json'), 'utf8');
  const megabytes = /"MaxUploadMegabytes"\s*:\s*(\d+)/.exec(config)?.[1] ?? '512';
  return Number(megabytes) * 1048576;
}

const basic = (name, secret) => `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}`;

/**
 * One request with node's http client, which (unlike fetch) sends no
 * Sec-Fetch-Mode: what curl or a PACS tool sends. Resolves
 * { status, headers, text, json }.
 */
function request(method, target, { headers = {}, body, base = server.baseUrl, ca } = {}) {
  const url = new URL(target, base);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(url, { method, headers, ca, timeout: 30_000 }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: answer.statusCode, headers: answer.headers, text, json });
      });
    });
    outgoing.on('error', reject);
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${target}: no answer`)));
    outgoing.end(body);
  });
}

before(async () => {
  server = await startServer();
  password = randomPassword();
  addUser(server.stateDir, user, password);
  await waitForDefaultVolume(server.baseUrl, user, password);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mis-front-'));
}, { timeout: 120_000 });

after(async () => {
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test("Orthanc's routes and DICOMweb: 401 with a Basic challenge, 401 for a wrong password, 403 for a refused change", async () => {
  for (const target of ['/patients', '/dicom-web/studies', '/app/explorer.html', '/wado?requestType=WADO']) {
    const anonymous = await request('GET', target);
    assert.equal(anonymous.status, 401, target);
    assert.equal(anonymous.headers['www-authenticate'], challenge, target);
    assert.equal(anonymous.json?.error, 'unauthenticated', target);
  }
  const wrong = await request('GET', '/patients', { headers: { authorization: basic(user, 'wrong') } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers['www-authenticate'], challenge);
  const allowed = await request('GET', '/patients', { headers: { authorization: basic(user, password) } });
  assert.equal(allowed.status, 200);
  // Deleting is for administrators.
  const refused = await request('DELETE', '/patients/no-such-patient', {
    headers: { authorization: basic(user, password) },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.json?.error, 'forbidden');
  assert.equal(refused.headers['www-authenticate'], undefined);
  // Orthanc's own port still refuses whoever reaches it without credentials.
  assert.equal((await request('GET', '/patients', { base: server.orthancUrl })).status, 403);
});

test("a page's scripts get no Basic challenge (no browser dialog); /api 401s carry Bearer", async () => {
  // fetch sends Sec-Fetch-Mode: cors, as a browser's fetch does.
  const fromScript = await fetch(`${server.baseUrl}/series`);
  assert.equal(fromScript.status, 401);
  assert.equal(fromScript.headers.get('www-authenticate'), null);
  const typed = await request('GET', '/series', { headers: { 'sec-fetch-mode': 'navigate' } });
  assert.equal(typed.headers['www-authenticate'], challenge);
  const api = await request('GET', '/api/patient-name');
  assert.equal(api.status, 401);
  assert.match(api.headers['www-authenticate'], /^Bearer realm=/);
});

test('curl --anyauth, urllib and httplib2 answer the challenge: QIDO, WADO-RS, STOW-RS, POST /instances', () => {
  // The password in files, never on a command line.
  const credentials = path.join(work, 'curl-credentials');
  fs.writeFileSync(credentials, `user = "${user}:${password}"\n`, { mode: 0o600 });
  const curl = (...args) => {
    const result = spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-K', credentials,
      '--anyauth', ...args], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  const stow = path.join(work, 'stow.body');
  fs.writeFileSync(stow, Buffer.concat([
    Buffer.from('--XyZ\r\nContent-Type: application/dicom\r\n\r\n'), sample, Buffer.from('\r\n--XyZ--\r\n'),
  ]));
  assert.equal(curl(`${server.baseUrl}/dicom-web/studies`), '200');
  assert.equal(curl('-H', 'Content-Type: multipart/related; type="application/dicom"; boundary=XyZ',
    '--data-binary', `@${stow}`, `${server.baseUrl}/dicom-web/studies`), '200');
  assert.equal(curl('-H', 'Content-Type: application/dicom', '--data-binary', `@${sampleFile}`,
    `${server.baseUrl}/instances`), '200');

  const script = String.raw`
import json, sys, urllib.request, httplib2
base, user, password, sample = sys.argv[1:5]
dicom = open(sample, "rb").read()
stow = b"--XyZ\r\nContent-Type: application/dicom\r\n\r\n" + dicom + b"\r\n--XyZ--\r\n"
stow_type = 'multipart/related; type="application/dicom"; boundary=XyZ'
manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
manager.add_password(None, base + "/", user, password)
opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))
def urllib_status(path, body=None, headers={}):
    request = urllib.request.Request(base + path, data=body, headers=headers)
    with opener.open(request) as answer:
        return answer.status, answer.read()
status, body = urllib_status("/dicom-web/studies")
study = json.loads(body)[0]["0020000D"]["Value"][0]
results = {"urllib QIDO": status,
           "urllib WADO-RS": urllib_status("/dicom-web/studies/%s/metadata" % study)[0],
           "urllib STOW-RS": urllib_status("/dicom-web/studies", stow, {"Content-Type": stow_type})[0],
           "urllib POST /instances": urllib_status("/instances", dicom, {"Content-Type": "application/dicom"})[0]}
client = httplib2.Http()
client.add_credentials(user, password)
def httplib2_status(path, method="GET", body=None, headers={}):
    return client.request(base + path, method, body=body, headers=headers)[0].status
results.update({"httplib2 QIDO": httplib2_status("/dicom-web/studies"),
                "httplib2 WADO-RS": httplib2_status("/dicom-web/studies/%s" % study, headers={
                    "Accept": 'multipart/related; type="application/dicom"'}),
                "httplib2 STOW-RS": httplib2_status("/dicom-web/studies", "POST", stow, {"Content-Type": stow_type}),
                "httplib2 POST /instances": httplib2_status("/instances", "POST", dicom,
                                                            {"Content-Type": "application/dicom"})})
print(json.dumps(results))
`;
  const result = spawnSync(python, ['-c', script, server.baseUrl, user, password, sampleFile],
    { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  const statuses = JSON.parse(result.stdout);
  assert.equal(Object.keys(statuses).length, 8);
  for (const [what, status] of Object.entries(statuses)) assert.equal(status, 200, what);
});

test('a form POSTed to the upload routes reaches them (as a PUT): 50080 pixels', async () => {
  for (const route of ['/api/volume', '/api/volume/store', '/api/volume/preview']) {
    const form = new FormData();
    form.append('file', new Blob([sample], { type: 'application/dicom' }), '1-101.dcm');
    const answer = await fetch(`${server.baseUrl}${route}`, {
      method: 'POST',
      headers: { authorization: basic(user, password) },
      body: form,
    });
    const body = await answer.json();
    assert.equal(answer.status, 200, `${route}: ${JSON.stringify(body)}`);
    assert.equal(body.pixels_above_threshold, 50080, route);
  }
  // Raw bodies and forms by PUT as before.
  const raw = await request('POST', '/api/volume', {
    headers: { authorization: basic(user, password), 'content-type': 'application/dicom' },
    body: sample,
  });
  assert.equal(raw.json?.pixels_above_threshold, 50080);
});

/** Sends a request head only and reads the answer's head: [status line, ms taken, text]. */
function headOnly(head) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(new URL(server.baseUrl).port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: *(\d+)/i.exec(text)?.[1];
      if (end >= 0 && length !== undefined && text.length >= end + 4 + Number(length)) {
        socket.destroy();
        resolve([text.split('\r\n')[0], Date.now() - started, text.slice(end + 4)]);
      }
    });
    socket.on('error', reject);
  });
}

test('a declared body above the limits: 413 JSON at once, before any of it is sent', async () => {
  const [status, ms, body] = await headOnly('POST /api/volume HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/dicom\r\nContent-Length: 2000000000\r\nExpect: 100-continue\r\n\r\n');
  assert.match(status, / 413 /);
  assert.ok(ms < 2000, `answered after ${ms} ms`);
  assert.deepEqual(Object.keys(JSON.parse(body)).sort(), ['detail', 'error', 'limit_bytes']);
  assert.equal(JSON.parse(body).error, 'upload_too_large');
  assert.equal(JSON.parse(body).limit_bytes, uploadLimitBytes());
  // STOW-RS and POST /instances too, credentials or not.
  const [stowStatus] = await headOnly('POST /dicom-web/studies HTTP/1.1\r\nHost: x\r\n' +
    `Content-Length: ${uploadLimitBytes() + 1}\r\n\r\n`);
  assert.match(stowStatus, / 413 /);
  // The login: 64 KiB.
  const login = await request('POST', '/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    body: 'x'.repeat(70 * 1024),
  });
  assert.equal(login.status, 413);
  assert.deepEqual(login.json, { error: 'body_too_large', detail: login.json.detail, limit_bytes: 65536 });
  // An upload below the limit with Expect: 100-continue goes through without a stall.
  const started = Date.now();
  const expect = await request('POST', '/api/volume', {
    headers: { authorization: basic(user, password), 'content-type': 'application/dicom', expect: '100-continue' },
    body: sample,
  });
  assert.equal(expect.status, 200);
  assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms`);
});

test('rate-limited logins: 429 with Retry-After and the retry delay in JSON', async () => {
  const attempt = JSON.stringify({ username: 'front-rate-limited', password: 'wrong' });
  let answer;
  for (let i = 0; i < 8 && answer?.status !== 429; ++i) {
    answer = await request('POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, body: attempt });
    assert.ok([401, 429].includes(answer.status), `attempt ${i}: ${answer.status} ${answer.text}`);
  }
  assert.equal(answer.status, 429);
  const seconds = Number(answer.headers['retry-after']);
  assert.ok(seconds > 0);
  assert.deepEqual(answer.json, {
    error: 'too_many_attempts',
    detail: `too many failed logins: try again in ${seconds} s`,
    retry_after_seconds: seconds,
  });
  assert.equal(answer.headers['x-intended-status'], undefined);
});

test("the client's own X-Forwarded-For is replaced: the audit trail names the real address", async () => {
  const login = await request('POST', '/api/auth/login', {
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    body: JSON.stringify({ username: user, password }),
  });
  assert.equal(login.status, 200);
  const audit = await request('GET', '/api/audit?limit=20', { headers: { authorization: basic('admin', server.adminPassword) } });
  const event = audit.json.events.find((e) => e.action === 'login' && e.user === user);
  assert.equal(event?.client, '127.0.0.1');
});

test('HTTPS with the self-signed certificate made at the first start (key 0600): a Secure cookie', async () => {
  const tls = path.join(server.stateDir, 'front', 'tls');
  assert.equal(fs.statSync(path.join(tls, 'key.pem')).mode & 0o777, 0o600);
  const ca = fs.readFileSync(path.join(tls, 'cert.pem'));
  const health = await request('GET', '/api/health', { base: server.httpsUrl, ca });
  assert.equal(health.status, 200);
  const login = await request('POST', '/api/auth/login', {
    base: server.httpsUrl,
    ca,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  assert.equal(login.status, 200);
  assert.match(String(login.headers['set-cookie']), /; Secure/);
  const plain = await request('POST', '/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  assert.doesNotMatch(String(plain.headers['set-cookie']), /; Secure/);
});

test('the UI from the front: / and /ui redirect to /ui/, the files carry the shared security headers', async () => {
  for (const target of ['/', '/ui']) {
    const answer = await request('GET', target);
    assert.equal(answer.status, 301, target);
    assert.equal(answer.headers.location, '/ui/', target);
  }
  const page = await request('GET', '/ui/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['x-frame-options'], 'DENY');
  assert.match(page.headers['content-security-policy'], /default-src 'self'/);
});

test('250 idle connections do not keep the front from answering', async () => {
  const port = new URL(server.baseUrl).port;
  const idle = await Promise.all(Array.from({ length: 250 }, () => new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  })));
  try {
    const health = await request('GET', '/api/health');
    assert.equal(health.status, 200);
  } finally {
    for (const socket of idle) socket.destroy();
  }
});
