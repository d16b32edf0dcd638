// Keeps plugin/resources/openapi.json true, against a real server (Orthanc +
// our plugin behind the nginx front, started by scripts/run-server.sh on free
// ports). The requests go to Orthanc itself, for what the plugin answers; the
// answers the front makes its own and the document describes (a rate-limited
// login's 429) are checked through the front:
//   1. the served document is OpenAPI 3.1, every $ref resolves and every schema compiles;
//   2. real requests to every documented path and method (successes and the
//      main errors) get a documented status, a documented Content-Type and a
//      JSON body valid against the documented schema;
//   3. the other way round: the routes Plugin.cpp registers are the documented
//      paths, and a method the document does not list gets 405.
//   node --test tests/e2e/openapi.test.mjs      (make e2e-test, part of make test)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { addUser, randomPassword, repoRoot, startServer, usersTool, waitForDefaultVolume } from './lib/server.mjs';

const sampleFile = path.join(repoRoot, 'tests/data/1-101.dcm');
const noSpacingFile = path.join(repoRoot, 'tests/data/corpus/rtdose.dcm'); // no SliceThickness
const noPixelsFile = path.join(repoRoot, 'tests/data/corpus/reportsi.dcm'); // a structured report
const unknownSeries = '00000000-00000000-00000000-00000000-00000000';
const methods = ['get', 'post', 'put', 'delete'];
const user = 'openapi-user';

let server;
// Orthanc itself (behind the front), and the front.
let plugin;
let front;
let password;
let document;
let ajv;
let token;
let defaultSeries;
let orthancVersion;
// "METHOD /path/template" -> the statuses seen, for the coverage checks.
const seen = new Map();

const basic = (name, secret) => ({ authorization: `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}` });
const asUser = () => basic(user, password);
const asAdmin = () => basic('admin', server.adminPassword);

before(async () => {
  server = await startServer();
  plugin = server.orthancUrl;
  front = server.baseUrl;
  password = randomPassword();
  addUser(server.stateDir, user, password);
  const created = spawnSync(
    usersTool,
    ['--database', path.join(server.stateDir, 'storage', 'users.sqlite'), 'token', 'create', user, 'openapi-test'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(created.status, 0, created.stderr);
  token = created.stdout.trim();
  await waitForDefaultVolume(plugin, user, password);
  const system = await fetch(`${plugin}/system`, { headers: asAdmin() });
  assert.equal(system.status, 200);
  orthancVersion = (await system.json()).Version;
}, { timeout: 120_000 });

after(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------
// The document

/** Follows a JSON pointer ("/components/schemas/Error") into the document. */
function atPointer(pointer) {
  let value = document;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    assert.ok(value !== null && typeof value === 'object' && key in value, `#${pointer} does not exist`);
    value = value[key];
  }
  return value;
}

const escapePointer = (key) => String(key).replaceAll('~', '~0').replaceAll('/', '~1');

/** An OpenAPI object and its pointer, after following its $ref chain. */
function resolve(object, pointer) {
  for (let hops = 0; object && typeof object.$ref === 'string'; ++hops) {
    assert.ok(hops < 10, `$ref loop at #${pointer}`);
    assert.ok(object.$ref.startsWith('#/'), `only local $refs are used: ${object.$ref}`);
    pointer = object.$ref.slice(1);
    object = atPointer(pointer);
  }
  return { object, pointer };
}

// Every schema object of the operations (parameters, bodies, answers, headers),
// by pointer, so that each one is compiled once up front.
function operationSchemaPointers() {
  const pointers = [];
  const addContent = (content, at) => {
    for (const [mediaType, media] of Object.entries(content ?? {})) {
      if (media.schema) pointers.push(`${at}/content/${escapePointer(mediaType)}/schema`);
    }
  };
  const addHeaders = (headers, at) => {
    for (const [name, header] of Object.entries(headers ?? {})) {
      const { object, pointer } = resolve(header, `${at}/headers/${escapePointer(name)}`);
      if (object.schema) pointers.push(`${pointer}/schema`);
    }
  };
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of methods.filter((m) => item[m])) {
      const at = `/paths/${escapePointer(template)}/${method}`;
      const operation = item[method];
      (operation.parameters ?? []).forEach((parameter, index) => {
        const { object, pointer } = resolve(parameter, `${at}/parameters/${index}`);
        if (object.schema) pointers.push(`${pointer}/schema`);
      });
      if (operation.requestBody) {
        const { object, pointer } = resolve(operation.requestBody, `${at}/requestBody`);
        addContent(object.content, pointer);
      }
      for (const [status, answer] of Object.entries(operation.responses)) {
        const { object, pointer } = resolve(answer, `${at}/responses/${status}`);
        addContent(object.content, pointer);
        addHeaders(object.headers, pointer);
      }
    }
  }
  return [...new Set(pointers)];
}

const schemaBase = 'https://medical-image-server.invalid/openapi.json';

/** The ajv validator of the schema at a pointer of the document. */
function validatorAt(pointer) {
  // A URI fragment: each pointer part percent-encoded ("{id}" is not allowed raw).
  const fragment = pointer.split('/').map(encodeURIComponent).join('/');
  const validate = ajv.getSchema(`${schemaBase}#${fragment}`);
  assert.ok(validate, `no schema at #${pointer}`);
  return validate;
}

function assertValid(pointer, value, what) {
  const validate = validatorAt(pointer);
  if (!validate(value)) {
    assert.fail(
      `${what}: the answer does not match #${pointer}:\n` +
        `${ajv.errorsText(validate.errors, { separator: '\n' })}\n` +
        `${JSON.stringify(validate.errors, null, 1)}\n` +
        `answer: ${JSON.stringify(value).slice(0, 1500)}`,
    );
  }
}

test('the served document is OpenAPI 3.1 with resolvable $refs and compilable schemas', async () => {
  const response = await fetch(`${plugin}/api/openapi.json`, { headers: asUser() });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const text = await response.text();
  document = JSON.parse(text);
  // What is served is the reviewed file, byte for byte.
  assert.equal(text, fs.readFileSync(path.join(repoRoot, 'plugin/resources/openapi.json'), 'utf8'));
  assert.match(document.openapi, /^3\.1\.\d+$/);
  assert.ok(document.info?.title && document.info?.version);
  const health = await (await fetch(`${plugin}/api/health`)).json();
  assert.equal(document.info.version, health.version, 'info.version is the plugin version');
  for (const scheme of ['cookieAuth', 'bearerAuth', 'basicAuth']) {
    assert.ok(document.components.securitySchemes[scheme], `securitySchemes.${scheme}`);
  }
  assert.equal(document.components.securitySchemes.cookieAuth.name, 'mis_session');

  // Every $ref anywhere (OpenAPI objects and schemas alike) points at something.
  const refs = [];
  (function walk(value) {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      if (typeof value.$ref === 'string') refs.push(value.$ref);
      Object.values(value).forEach(walk);
    }
  })(document);
  assert.ok(refs.length > 50, `only ${refs.length} $refs`);
  for (const ref of new Set(refs)) {
    assert.ok(ref.startsWith('#/'), `only local $refs: ${ref}`);
    atPointer(ref.slice(1));
  }

  // Strict ajv: an unknown keyword or format in a schema fails the compilation.
  ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('password', true); // OpenAPI's UI hint, no constraint
  // The document is added whole so that "#/components/..." resolves as it does
  // for any OpenAPI tool; its OpenAPI-only members are annotations to ajv.
  for (const keyword of ['openapi', 'jsonSchemaDialect', 'info', 'servers', 'security', 'tags', 'paths', 'components']) {
    ajv.addKeyword({ keyword });
  }
  ajv.addSchema({ ...document, $id: schemaBase });
  const pointers = [
    ...Object.keys(document.components.schemas).map((name) => `/components/schemas/${escapePointer(name)}`),
    ...operationSchemaPointers(),
  ];
  assert.ok(pointers.length > 60, `only ${pointers.length} schemas found`);
  for (const pointer of pointers) {
    assert.doesNotThrow(() => validatorAt(pointer), `the schema at #${pointer} compiles`);
  }
  // The document is valid against its own OpenApiDocument schema.
  assertValid('/components/schemas/OpenApiDocument', document, 'the document itself');
});

// ---------------------------------------------------------------------------
// Real answers against the document

const mediaTypeOf = (contentType) => (contentType ?? '').split(';')[0].trim().toLowerCase();

const versionAtLeast = (version, [major, minor, revision]) => {
  const [a = 0, b = 0, c = 0] = String(version).split('.').map(Number);
  return a !== major ? a > major : b !== minor ? b > minor : c >= revision;
};

/** OrthancPluginRedirect answers 301 up to Orthanc 1.12.3, 307 from 1.12.4 on. */
const redirectStatus = () => (versionAtLeast(orthancVersion, [1, 12, 4]) ? 307 : 301);

/**
 * The media type of an answer. Orthanc 1.12.2 and newer add "Content-Type:
 * text/plain" to every error a plugin sends with a body
 * (OrthancPluginSendHttpStatus), after the plugin's own Content-Type; fetch
 * joins the two headers. There, an error with a body must carry ours first and
 * then exactly Orthanc's; on older Orthanc (1.10, Debian 12) ours alone.
 */
function answerMediaType(response, bodyLength, label, { fromTheFront = false } = {}) {
  const header = response.headers.get('content-type') ?? '';
  if (response.status >= 400 && bodyLength > 0 && !fromTheFront && versionAtLeast(orthancVersion, [1, 12, 2])) {
    const orthancOwn = ', text/plain';
    assert.ok(header.endsWith(orthancOwn),
      `${label}: Orthanc ${orthancVersion} adds text/plain after our Content-Type, got "${header}"`);
    return mediaTypeOf(header.slice(0, -orthancOwn.length));
  }
  assert.ok(!header.includes(','), `${label}: one Content-Type expected, got "${header}"`);
  return mediaTypeOf(header);
}

function mediaTypeMatches(documented, actual) {
  const [type, subtype] = documented.toLowerCase().split('/');
  const [actualType, actualSubtype] = actual.split('/');
  return (type === '*' || type === actualType) && (subtype === '*' || subtype === actualSubtype);
}

/** The value of a header as its schema types it (headers are text on the wire). */
function typedHeader(text, schema) {
  const type = schema?.type;
  return type === 'integer' || type === 'number' ? Number(text) : text;
}

/**
 * Checks one real answer against the operation `method template` of the
 * document: documented status, documented media type, valid JSON body and
 * valid documented headers. `fromTheFront`: an answer of the front's own (no
 * Orthanc header added).
 */
async function assertDocumented(method, template, response, what, { fromTheFront = false } = {}) {
  const item = document.paths[template];
  assert.ok(item, `${what}: ${template} is not documented`);
  const operation = item[method.toLowerCase()];
  assert.ok(operation, `${what}: ${method} ${template} is not documented`);
  const status = String(response.status);
  const key = [status, `${status[0]}XX`, 'default'].find((k) => operation.responses[k]);
  const body = Buffer.from(await response.arrayBuffer());
  assert.ok(key, `${what}: status ${status} is not documented for ${method} ${template}` +
    ` (documented: ${Object.keys(operation.responses).join(', ')}); body: ${body.toString('utf8', 0, 300)}`);
  const at = `/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/${key}`;
  const { object: answer, pointer } = resolve(operation.responses[key], at);
  const label = `${what} (${method} ${template} -> ${status})`;
  const record = `${method} ${template}`;
  seen.set(record, new Set([...(seen.get(record) ?? []), response.status]));

  for (const [name, header] of Object.entries(answer.headers ?? {})) {
    const value = response.headers.get(name);
    const headerAt = `${pointer}/headers/${escapePointer(name)}`;
    const { object, pointer: resolvedAt } = resolve(header, headerAt);
    if (object.required) assert.ok(value !== null, `${label}: header ${name} is missing`);
    if (value !== null && object.schema) {
      assertValid(`${resolvedAt}/schema`, typedHeader(value, object.schema), `${label}, header ${name}`);
    }
  }

  if (body.length === 0) {
    assert.ok(!answer.content || answer['x-empty-body-allowed'],
      `${label}: empty body, but the document promises ${Object.keys(answer.content ?? {}).join(', ')}`);
    return null;
  }
  assert.ok(answer.content, `${label}: a body (${body.length} bytes) where the document promises none`);
  const actual = answerMediaType(response, body.length, label, { fromTheFront });
  const documented = Object.keys(answer.content).find((type) => mediaTypeMatches(type, actual));
  assert.ok(documented, `${label}: Content-Type "${response.headers.get('content-type')}" is not one of ` +
    Object.keys(answer.content).join(', '));
  if (actual === 'application/json' || actual.endsWith('+json')) {
    const json = JSON.parse(body.toString('utf8'));
    if (answer.content[documented].schema) {
      assertValid(`${pointer}/content/${escapePointer(documented)}/schema`, json, label);
    }
    return json;
  }
  return body;
}

/**
 * Sends a request, checks its status (what the handlers do) and then checks
 * the answer against the document (what the document says). Returns the body.
 * `base`: Orthanc itself (the plugin's answers), or the front.
 */
async function exchange(method, template, { url, headers = {}, body, status, base = plugin }) {
  const target = url ?? template;
  const what = `${method} ${base === front ? 'through the front ' : ''}${target}`;
  const response = await fetch(`${base}${target}`, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  if (status !== undefined && response.status !== status) {
    assert.fail(`${what}: status ${response.status}, expected ${status}: ${(await response.text()).slice(0, 300)}`);
  }
  return {
    response,
    body: await assertDocumented(method, template, response, what, { fromTheFront: base === front }),
  };
}

function dicomForm(file, name = 'file') {
  const form = new FormData();
  form.append(name, new Blob([fs.readFileSync(file)], { type: 'application/dicom' }), path.basename(file));
  return form;
}

const dicom = () => ({ 'content-type': 'application/dicom' });

test('public routes: health, login, the UI files', async () => {
  await exchange('GET', '/api/health', { status: 200 });
  const json = { 'content-type': 'application/json' };
  await exchange('POST', '/api/auth/login', { headers: json, body: JSON.stringify({ username: user, password }), status: 200 });
  await exchange('POST', '/api/auth/login', { headers: json, body: JSON.stringify({ username: user, password: 'wrong' }), status: 401 });
  await exchange('POST', '/api/auth/login', { headers: json, body: 'not json', status: 400 });
  await exchange('POST', '/api/auth/login', { headers: json, body: 'x'.repeat(70 * 1024), status: 413 });
  await exchange('POST', '/api/auth/login', {
    headers: { ...json, origin: 'https://elsewhere.example' },
    body: JSON.stringify({ username: user, password }),
    status: 403,
  });

  const { response } = await exchange('GET', '/', { status: redirectStatus() });
  assert.match(response.headers.get('location'), /\/ui\/$/);
  await exchange('GET', '/ui', { status: 200 });
  await exchange('GET', '/ui/{path}', { url: '/ui/index.html', status: 200 });
  await exchange('GET', '/ui/{path}', { url: '/ui/favicon.svg', status: 200 });
  const assets = fs.readdirSync(path.join(repoRoot, 'frontend/dist/assets'));
  for (const extension of ['.js', '.css']) {
    const asset = assets.find((name) => name.endsWith(extension));
    assert.ok(asset, `a built ${extension} asset`);
    await exchange('GET', '/ui/{path}', { url: `/ui/assets/${asset}`, status: 200 });
  }
  await exchange('GET', '/ui/{path}', { url: '/ui/no-such-file.js', status: 404 });
});

test('sessions, tokens and Basic: /api/auth/me, /api/auth/logout, /api/openapi.json', async () => {
  const login = await fetch(`${plugin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  assert.match(cookie, /^mis_session=./);

  for (const [how, headers] of [['session', { cookie }], ['bearer', { authorization: `Bearer ${token}` }], ['basic', asUser()]]) {
    const { body } = await exchange('GET', '/api/auth/me', { headers, status: 200 });
    assert.equal(body.authenticated_by, how);
  }
  await exchange('GET', '/api/openapi.json', { headers: { authorization: `Bearer ${token}` }, status: 200 });
  await exchange('POST', '/api/auth/logout', { headers: { cookie, origin: 'https://elsewhere.example' }, status: 403 });
  await exchange('POST', '/api/auth/logout', { headers: { cookie }, status: 200 });
  await exchange('GET', '/api/auth/me', { headers: { cookie }, status: 401 });
  await exchange('GET', '/api/auth/me', { headers: { authorization: 'Bearer forged' }, status: 401 });
});

test("the HTTP front's access check: allowed, challenged, refused", async () => {
  const about = (method, target) => ({ 'x-original-method': method, 'x-original-uri': target });
  await exchange('GET', '/api/auth/check', { headers: { ...about('GET', '/dicom-web/studies'), ...asUser() }, status: 200 });
  const challenged = await exchange('GET', '/api/auth/check', { headers: about('GET', '/dicom-web/studies'), status: 401 });
  assert.match(challenged.response.headers.get('www-authenticate'), /^Basic realm="/);
  await exchange('GET', '/api/auth/check', { headers: { ...about('DELETE', '/patients/x'), ...asUser() }, status: 403 });
});

test('the audit trail: admins only, paging checked', async () => {
  await exchange('GET', '/api/audit', { headers: asUser(), status: 403 });
  const { body } = await exchange('GET', '/api/audit', { url: '/api/audit?offset=0&limit=5', headers: asAdmin(), status: 200 });
  assert.ok(body.events.length > 0 && body.events.length <= 5);
  await exchange('GET', '/api/audit', { url: '/api/audit?limit=5000', headers: asAdmin(), status: 400 });
  await exchange('GET', '/api/audit', { url: '/api/audit?offset=abc', headers: asAdmin(), status: 400 });
});

test('uploads: /api/volume, /api/volume/store, /api/volume/preview with POST and PUT', async () => {
  const sample = fs.readFileSync(sampleFile);
  for (const template of ['/api/volume', '/api/volume/store', '/api/volume/preview']) {
    const raw = await exchange('POST', template, { headers: { ...asUser(), ...dicom() }, body: sample, status: 200 });
    assert.equal(raw.body.pixels_above_threshold, 50080);
    await exchange('PUT', template, { headers: asUser(), body: dicomForm(sampleFile), status: 200 });
    await exchange('PUT', template, { headers: { ...asUser(), 'content-type': 'application/octet-stream' }, body: sample, status: 200 });
    // Orthanc 1.10 swallows POSTed forms: the filter refuses them with a bare 403.
    await exchange('POST', template, { headers: asUser(), body: dicomForm(sampleFile), status: 403 });
    await exchange('POST', template, { headers: { ...asUser(), ...dicom() }, body: 'not a DICOM file', status: 400 });
    await exchange('POST', template, { headers: { ...asUser(), ...dicom() }, body: '', status: 400 });
    await exchange('PUT', template, { headers: asUser(), body: dicomForm(sampleFile, 'other-field'), status: 200 });
    await exchange('POST', template, { headers: { ...asUser(), 'content-type': 'text/plain' }, body: sample, status: 415 });
    await exchange('PUT', template, { headers: { ...asUser(), 'content-type': 'image/png' }, body: sample, status: 415 });
    await exchange('POST', template, { headers: { ...asUser(), ...dicom() }, body: fs.readFileSync(noPixelsFile), status: 422 });
    await exchange('POST', template, { headers: dicom(), body: sample, status: 401 });
  }
  // No SliceThickness: nulls and warnings, which the schema has to allow.
  const { body } = await exchange('POST', '/api/volume', {
    headers: { ...asUser(), ...dicom() },
    body: fs.readFileSync(noSpacingFile),
    status: 200,
  });
  assert.equal(body.volume_mm3, null);
  assert.ok(body.warnings.length > 0);
  // A cookie-authenticated upload from another site is refused (CSRF).
  const login = await fetch(`${plugin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  await exchange('POST', '/api/volume', {
    headers: { cookie, origin: 'https://elsewhere.example', ...dicom() },
    body: sample,
    status: 403,
  });
  // MaxUploadMegabytes (512 by default) is not cheap to exceed here: the 413
  // of an upload is covered by the integration tests (BadInputTest).
});

test('the upload check: a DICOM file or a STOW-RS body, scanned and never stored', async () => {
  const sample = fs.readFileSync(sampleFile);
  const raw = await exchange('POST', '/api/upload-check', { headers: { ...asUser(), ...dicom() }, body: sample, status: 200 });
  assert.deepEqual(raw.body, { files_checked: 1 });
  const boundary = 'upload-check-boundary';
  const part = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), sample,
    Buffer.from(`\r\n`)]);
  const stow = Buffer.concat([part, part, Buffer.from(`--${boundary}--\r\n`)]);
  const related = { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` };
  const checked = await exchange('POST', '/api/upload-check', { headers: { ...asUser(), ...related }, body: stow, status: 200 });
  assert.deepEqual(checked.body, { files_checked: 2 });
  const cut = stow.subarray(0, stow.length / 2);
  const malformed = await exchange('POST', '/api/upload-check', { headers: { ...asUser(), ...related }, body: cut, status: 400 });
  assert.equal(malformed.body.error, 'malformed_multipart');
  await exchange('POST', '/api/upload-check', { headers: dicom(), body: sample, status: 401 });
});

test('the default volume and stored series: patient name, middle slice, series volume', async () => {
  const name = await exchange('GET', '/api/patient-name', { headers: asUser(), status: 200 });
  defaultSeries = name.body.series;
  const chosen = await exchange('GET', '/api/default-series', { headers: asUser(), status: 200 });
  assert.equal(chosen.body.series, defaultSeries);
  const headers = asUser();
  // A stored series without SliceThickness, whose volume cannot be computed.
  const stored = await exchange('POST', '/api/volume/store', {
    headers: { ...headers, ...dicom() },
    body: fs.readFileSync(noSpacingFile),
    status: 200,
  });
  const noSpacingSeries = stored.body.stored.series;
  const series = (rest, id = defaultSeries) => `/api/series/${id}${rest}`;
  await exchange('GET', '/api/series/{id}/patient-name', { url: series('/patient-name'), headers, status: 200 });
  await exchange('GET', '/api/series/{id}/patient-name', { url: series('/patient-name', unknownSeries), headers, status: 404 });
  await exchange('GET', '/api/series/{id}/patient-name', { url: series('/patient-name', 'not-an-id'), headers, status: 404 });

  const png = await exchange('GET', '/api/middle-slice', { headers, status: 200 });
  assert.equal(png.response.headers.get('content-type'), 'image/png');
  const jpeg = await exchange('GET', '/api/middle-slice', { url: '/api/middle-slice?format=jpeg&window-center=40&window-width=400', headers, status: 200 });
  assert.equal(jpeg.response.headers.get('content-type'), 'image/jpeg');
  await exchange('GET', '/api/middle-slice', { url: '/api/middle-slice?overlay=threshold', headers, status: 200 });
  await exchange('GET', '/api/middle-slice', { url: '/api/middle-slice?format=gif', headers, status: 400 });
  await exchange('GET', '/api/middle-slice', { url: '/api/middle-slice?window-center=40', headers, status: 400 });
  await exchange('GET', '/api/series/{id}/middle-slice', { url: series('/middle-slice?format=jpeg'), headers, status: 200 });
  await exchange('GET', '/api/series/{id}/middle-slice', { url: series('/middle-slice?window-center=1&window-width=0'), headers, status: 400 });
  await exchange('GET', '/api/series/{id}/middle-slice', { url: series('/middle-slice', unknownSeries), headers, status: 404 });

  const info = await exchange('GET', '/api/middle-slice/info', { headers, status: 200 });
  assert.equal(info.body.count, 33);
  await exchange('GET', '/api/series/{id}/middle-slice/info', { url: series('/middle-slice/info'), headers, status: 200 });
  await exchange('GET', '/api/series/{id}/middle-slice/info', { url: series('/middle-slice/info', noSpacingSeries), headers, status: 200 });
  await exchange('GET', '/api/series/{id}/middle-slice/info', { url: series('/middle-slice/info', unknownSeries), headers, status: 404 });

  const volume = await exchange('GET', '/api/series/{id}/volume', { url: series('/volume'), headers, status: 200 });
  assert.equal(volume.body.slices, 33);
  await exchange('GET', '/api/series/{id}/volume', { url: series('/volume', noSpacingSeries), headers, status: 422 });
  await exchange('GET', '/api/series/{id}/volume', { url: series('/volume', unknownSeries), headers, status: 404 });
});

test('rate-limited logins: 503 from Orthanc, 429 through the front, with Retry-After, as documented', async () => {
  // A name of its own: its failures lock only it out (5 per name and minute).
  const json = { 'content-type': 'application/json' };
  const attempt = JSON.stringify({ username: 'openapi-rate-limited', password: 'wrong' });
  let last;
  for (let i = 0; i < 8 && last?.response.status !== 503; ++i) {
    last = await exchange('POST', '/api/auth/login', { headers: json, body: attempt });
  }
  assert.equal(last.response.status, 503);
  assert.equal(last.body.error, 'too_many_attempts');
  assert.ok(Number(last.response.headers.get('retry-after')) > 0);
  assert.equal(last.response.headers.get('x-intended-status'), '429');
  // The front sends the 429 Orthanc cannot.
  const limited = await exchange('POST', '/api/auth/login', { base: front, headers: json, body: attempt, status: 429 });
  assert.equal(limited.body.error, 'too_many_attempts');
  assert.equal(Number(limited.response.headers.get('retry-after')), limited.body.retry_after_seconds);
  assert.ok(limited.body.retry_after_seconds > 0);
  assert.equal(limited.response.headers.get('x-intended-status'), null);
});

// A concrete URL for each documented path, for the sweeps below.
function exampleUrl(template) {
  return template.replace('{id}', defaultSeries).replace('{path}', 'index.html');
}

test('without credentials: 401 exactly where the document asks for security', async () => {
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of methods.filter((m) => item[m])) {
      const isPublic = Array.isArray(item[method].security) && item[method].security.length === 0;
      const { response } = await exchange(method.toUpperCase(), template, { url: exampleUrl(template) });
      if (isPublic) {
        assert.notEqual(response.status, 401, `${method} ${template} is documented as public`);
      } else {
        assert.equal(response.status, 401, `${method} ${template} is documented as needing credentials`);
      }
    }
  }
});

test('a method the document does not list gets 405, with Allow naming the documented ones', async () => {
  for (const [template, item] of Object.entries(document.paths)) {
    const documented = methods.filter((m) => item[m]).map((m) => m.toUpperCase());
    for (const method of methods.map((m) => m.toUpperCase()).filter((m) => !documented.includes(m))) {
      const response = await fetch(`${plugin}${exampleUrl(template)}`, {
        method,
        headers: asAdmin(),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      assert.equal(response.status, 405, `${method} ${template}: an undocumented method`);
      const allowed = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
      assert.deepEqual(allowed.sort(), [...documented].sort(), `${method} ${template}: Allow`);
    }
  }
});

test('every documented operation was exercised, with a success and its main errors', () => {
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of methods.filter((m) => item[m])) {
      const statuses = seen.get(`${method.toUpperCase()} ${template}`) ?? new Set();
      assert.ok([...statuses].some((s) => s >= 200 && s < 400),
        `${method.toUpperCase()} ${template} never answered with success (seen: ${[...statuses].join(', ') || 'nothing'})`);
    }
  }
  const all = new Set([...seen.values()].flatMap((statuses) => [...statuses]));
  for (const status of [200, redirectStatus(), 400, 401, 403, 404, 413, 415, 422, 429, 503]) {
    assert.ok(all.has(status), `no exchange answered ${status}`);
  }
});

// ---------------------------------------------------------------------------
// Registered routes = documented paths

/**
 * The routes of the route table in Plugin.cpp (its Entry<...>(...) and
 * PublicEntry<...>(...) lines), as OpenAPI paths: patterns are string
 * literals or constants defined there, joined by "+"; the capture "([^/]+)"
 * is a series id, "(.+)" a file path under /ui.
 */
function registeredRoutes() {
  const source = fs.readFileSync(path.join(repoRoot, 'plugin/src/orthanc/Plugin.cpp'), 'utf8');
  const constants = new Map();
  for (const [, name, value] of source.matchAll(/const std::string (\w+) = "((?:[^"\\]|\\.)*)";/g)) {
    constants.set(name, value);
  }
  const routes = [];
  for (const [, expression] of source.matchAll(/(?<!\w)(?:Public)?Entry<[^>]*>\(((?:"(?:[^"\\]|\\.)*"|[\w\s+])+)/g)) {
    // Tokens: string literals, names of constants, and the "+" between them.
    let regex = '';
    for (const [token, literal, name] of expression.matchAll(/"((?:[^"\\]|\\.)*)"|(\w+)|\S/g)) {
      if (literal !== undefined) regex += literal;
      else if (name !== undefined && constants.has(name)) regex += constants.get(name);
      else assert.equal(token, '+', `Plugin.cpp: cannot read the route expression ${expression}`);
    }
    const openApiPath = regex.replaceAll('([^/]+)', '{id}').replaceAll('(.+)', '{path}');
    assert.doesNotMatch(openApiPath, /[()[\]*+?\\]/, `an unmapped regular expression in route ${regex}`);
    routes.push(openApiPath);
  }
  return routes;
}

test('the routes Plugin.cpp registers are exactly the documented paths', () => {
  const registered = registeredRoutes();
  assert.ok(registered.length >= 15, `only ${registered.length} routes read from Plugin.cpp`);
  assert.equal(new Set(registered).size, registered.length, 'a route is registered twice');
  // The UI's static routes (/, /ui, /ui/{path}) are documented too rather than
  // listed as exceptions: they are public entry points that clients and
  // reverse proxies need to know, and documenting them lets this check stay
  // an exact equality with no exception list to forget.
  assert.deepEqual([...registered].sort(), Object.keys(document.paths).sort());
});
