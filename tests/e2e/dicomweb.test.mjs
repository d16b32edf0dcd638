// QIDO-RS and WADO-RS with a DICOMweb client no one here wrote (the npm
// package dicomweb-client, as viewers use it), against a real server started
// by scripts/run-server.sh with the shipped configuration and the sample
// volume of data/, authenticated with an API token from the users tool.
//   node --test tests/e2e/dicomweb.test.mjs      (part of make test)
// Expected values come from the files themselves, read by DCMTK's dcmdump.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import XMLHttpRequest from 'xhr2';
import { api } from 'dicomweb-client';
import { addUser, randomPassword, repoRoot, startServer, usersTool, waitForDefaultVolume } from './lib/server.mjs';

// dicomweb-client is written for browsers: Node needs an XMLHttpRequest.
globalThis.XMLHttpRequest = XMLHttpRequest;

const sampleDir = path.join(repoRoot, 'data');
const middleFile = path.join(sampleDir, '1-088.dcm');
const sampleSlices = fs.readdirSync(sampleDir).filter((name) => name.endsWith('.dcm')).length;
const user = 'pacs-tool';

/** Top-level tags of a DICOM file by keyword, as dcmdump prints them. */
function dicomTags(file, keywords) {
  const result = spawnSync('dcmdump', ['-Un', ...keywords.flatMap((k) => ['+P', k]), file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dcmdump failed: ${result.stderr}`);
  const tags = {};
  for (const line of result.stdout.split('\n')) {
    // "(0028,0010) US 512   #  2, 1 Rows", "(0010,0010) PN [Doe^John]   #  8, 1 PatientName"
    const match = /^\([0-9a-f,]+\) \w\w (?:\[([^\]]*)\]|(\S+)).*# .* (\w+)$/.exec(line);
    if (match && !(match[3] in tags)) tags[match[3]] = match[1] ?? match[2];
  }
  for (const keyword of keywords) assert.ok(keyword in tags, `dcmdump found no ${keyword} in ${file}`);
  return tags;
}

function createApiToken(stateDir, name) {
  const result = spawnSync(
    usersTool,
    ['--database', path.join(stateDir, 'storage', 'users.sqlite'), 'token', 'create', name, 'dicomweb test'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (result.status !== 0) throw new Error(`token create failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The value of one attribute in a DICOM JSON dataset. */
const value = (dataset, tag) => dataset[tag]?.Value?.[0];

let server;
let client;
let expected;

before(async () => {
  server = await startServer();
  const password = randomPassword();
  addUser(server.stateDir, user, password);
  await waitForDefaultVolume(server.baseUrl, user, password, { slices: sampleSlices });
  const token = createApiToken(server.stateDir, user);
  client = new api.DICOMwebClient({
    url: `${server.baseUrl}/dicom-web`,
    headers: { Authorization: `Bearer ${token}` },
  });
  expected = dicomTags(middleFile, [
    'PatientName', 'PatientID', 'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'SOPClassUID',
  ]);
}, { timeout: 120_000 });

after(async () => {
  await server?.stop();
});

test('QIDO-RS finds the sample study by patient name', async () => {
  const studies = await client.searchForStudies({ queryParams: { PatientName: expected.PatientName } });
  assert.equal(studies.length, 1);
  assert.equal(value(studies[0], '0020000D'), expected.StudyInstanceUID);
  assert.equal(value(studies[0], '00100020'), expected.PatientID);
  assert.equal(value(studies[0], '00100010').Alphabetic, expected.PatientName);

  const none = await client.searchForStudies({ queryParams: { PatientName: 'NOBODY^HERE' } });
  assert.equal(none.length, 0);
});

test('QIDO-RS lists every instance of the series', async () => {
  const instances = await client.searchForInstances({
    studyInstanceUID: expected.StudyInstanceUID,
    seriesInstanceUID: expected.SeriesInstanceUID,
  });
  assert.equal(instances.length, sampleSlices);
  const uids = new Set(instances.map((instance) => value(instance, '00080018')));
  assert.ok(uids.has(expected.SOPInstanceUID));
});

test('WADO-RS retrieves the middle instance with its pixels', async () => {
  // The one part of the multipart answer, as an ArrayBuffer, in DICOMweb's
  // default transfer syntax (Explicit VR Little Endian; the file is Implicit).
  const part = await client.retrieveInstance({
    studyInstanceUID: expected.StudyInstanceUID,
    seriesInstanceUID: expected.SeriesInstanceUID,
    sopInstanceUID: expected.SOPInstanceUID,
  });
  assert.ok(part instanceof ArrayBuffer);
  const retrieved = Buffer.from(part);
  assert.equal(retrieved.subarray(128, 132).toString('latin1'), 'DICM');

  const copy = path.join(server.stateDir, 'retrieved.dcm');
  fs.writeFileSync(copy, retrieved);
  const tags = dicomTags(copy, ['TransferSyntaxUID', 'SOPInstanceUID', 'Rows', 'Columns', 'BitsAllocated']);
  assert.equal(tags.TransferSyntaxUID, '1.2.840.10008.1.2.1');
  assert.equal(tags.SOPInstanceUID, expected.SOPInstanceUID);
  // Uncompressed little-endian both: the pixel data, last in both files, is
  // the same bytes.
  const pixelBytes = Number(tags.Rows) * Number(tags.Columns) * (Number(tags.BitsAllocated) / 8);
  assert.ok(pixelBytes > 0);
  assert.ok(retrieved.subarray(-pixelBytes).equals(fs.readFileSync(middleFile).subarray(-pixelBytes)));
});

test('WADO-RS metadata names the instance', async () => {
  const metadata = await client.retrieveInstanceMetadata({
    studyInstanceUID: expected.StudyInstanceUID,
    seriesInstanceUID: expected.SeriesInstanceUID,
    sopInstanceUID: expected.SOPInstanceUID,
  });
  assert.equal(metadata.length, 1);
  assert.equal(value(metadata[0], '00080016'), expected.SOPClassUID);
  assert.equal(value(metadata[0], '00080018'), expected.SOPInstanceUID);
});

test('DICOMweb without a valid token is denied', async () => {
  for (const headers of [{}, { Authorization: 'Bearer not-a-token' }]) {
    const anonymous = new api.DICOMwebClient({ url: `${server.baseUrl}/dicom-web`, headers, verbose: false });
    await assert.rejects(
      anonymous.searchForStudies({ queryParams: { PatientName: expected.PatientName } }),
      (error) => error.status === 401, // the front's answer, with a Basic challenge
    );
  }
});
