// End-to-end tests of the web UI in headless Chromium (Debian's, driven by
// playwright-core) against a real server: Orthanc + our plugin started by
// scripts/run-server.sh on free ports with a temporary state folder.
//   node --test tests/e2e/ui.test.mjs      (make e2e-test, part of make test)
// On failure: a full-page screenshot and the server log in tests/e2e/output/
// (or $E2E_OUTPUT_DIR).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, viewports } from './lib/browser.mjs';
import { addUser, randomPassword, repoRoot, startServer, waitForDefaultVolume } from './lib/server.mjs';

const outputDir = path.resolve(process.env.E2E_OUTPUT_DIR ?? path.join(repoRoot, 'tests/e2e/output'));
const sampleFile = path.join(repoRoot, 'tests/data/1-101.dcm');
const namedPatientFile = path.join(repoRoot, 'tests/data/charset/chrFren.dcm'); // Buc^Jérôme
const noSpacingFile = path.join(repoRoot, 'tests/data/corpus/rtdose.dcm'); // no SliceThickness
const colourFile = path.join(repoRoot, 'tests/data/colour/own-rgb-uncompressed.dcm'); // Lestrade^G, RGB
const user = 'e2e-user';

let server;
let browser;
let context;
let page;
let password;
let failures = 0;
const pageErrors = [];

before(async () => {
  fs.mkdirSync(outputDir, { recursive: true });
  server = await startServer();
  password = randomPassword();
  addUser(server.stateDir, user, password);
  await waitForDefaultVolume(server.baseUrl, user, password);
  // A second stored series, with a family and a given name, for the selector.
  const stored = await fetch(`${server.baseUrl}/instances`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    body: fs.readFileSync(namedPatientFile),
  });
  assert.equal(stored.status, 200, 'storing the second series');
  const colour = await fetch(`${server.baseUrl}/instances`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    body: fs.readFileSync(colourFile),
  });
  assert.equal(colour.status, 200, 'storing the colour series');

  browser = await launchChromium();
  context = await browser.newContext({ viewport: viewports.laptop });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
}, { timeout: 120_000 });

after(async () => {
  await browser?.close().catch(() => {});
  if (server) {
    if (failures > 0) fs.copyFileSync(server.logFile, path.join(outputDir, 'server.log'));
    await server.stop();
  }
});

/**
 * One step of the user's journey: it leaves a full-page screenshot behind when
 * it fails, and the steps after a failed one are skipped (they would only
 * time out in the wrong state).
 */
function uiTest(name, body, { always = false } = {}) {
  test(name, { timeout: 60_000 }, async (t) => {
    if (failures > 0 && !always) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await body();
    } catch (error) {
      failures += 1;
      const file = path.join(outputDir, `failure-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
      await page?.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`screenshot of the failure: ${file}`);
      throw error;
    }
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function textOf(locator) {
  await locator.waitFor();
  return (await locator.innerText()).trim();
}

/** Waits until the locator's text matches (string: equal after trimming). */
async function waitForText(locator, expected) {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.innerText().catch(() => '')).trim();
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return last;
    await sleep(50);
  }
  assert.fail(`expected ${expected} in ${locator}, last saw ${JSON.stringify(last)}`);
}

async function logIn(name, secret) {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(secret);
  await page.getByLabel('Password').press('Enter');
}

async function statusOf(url) {
  return page.evaluate(async (target) => (await fetch(target)).status, url);
}

/** The row of the n-th upload of a file, oldest first. */
function uploadRows(fileName) {
  return page.locator(`[data-testid="upload-row"][data-file-name="${fileName}"]`);
}

async function expectSampleFigures(row) {
  await row.locator('.badge-done').waitFor();
  assert.equal(await row.locator('[data-testid="pixels"] data').getAttribute('value'), '50080');
  assert.equal(await textOf(row.locator('[data-testid="pixels"]')), '50,080');
  assert.equal(await textOf(row.locator('[data-testid="volume"]')), '143,280.03 mm³');
  assert.equal(await textOf(row.locator('[data-testid="threshold"]')), '0.5');
  const preview = row.locator('img.result-preview');
  assert.match(await preview.getAttribute('src'), /^data:image\/png;base64,/);
  await page.waitForFunction((element) => element.complete && element.naturalWidth > 0, await preview.elementHandle());
}

uiTest('1a. opening / shows the login page, and a wrong password is refused', async () => {
  const response = await page.goto(`${server.baseUrl}/`);
  assert.equal(new URL(page.url()).pathname, '/ui/', 'GET / redirects to /ui/');
  assert.equal(response.status(), 200, `GET /ui/ serves the UI (got ${response.status()})`);
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-username', 'focus starts in the user name');
  assert.equal(await page.title(), 'Log in · Medical Image Server');

  await logIn(user, 'not the password');
  assert.equal(await textOf(page.getByRole('alert')), 'Wrong user name or password.');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-password', 'focus back on the password');
});

uiTest('1b. rate-limited logins say "Too many attempts, try again in N s" (503 and 429)', async () => {
  // Five failures for one name within the window: the sixth attempt is refused.
  const statuses = await page.evaluate(async () => {
    const seen = [];
    for (let i = 0; i < 5; i += 1) {
      const answer = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'locked-out', password: `wrong ${i}` }),
      });
      seen.push(answer.status);
    }
    return seen;
  });
  assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
  await logIn('locked-out', 'wrong again');
  await waitForText(page.getByRole('alert'), /^Too many attempts, try again in \d+ s$/);

  // A proxy in front may well send a real 429: the same message.
  await page.route('**/api/auth/login', (route) =>
    route.fulfill({ status: 429, headers: { 'Retry-After': '7' }, body: '' }),
  );
  await logIn(user, password);
  await waitForText(page.getByRole('alert'), 'Too many attempts, try again in 7 s');
  await page.unroute('**/api/auth/login');
});

uiTest('1c. the right password reaches the dashboard (the button disabled meanwhile), and stays there on reload', async () => {
  await page.route('**/api/auth/login', async (route) => {
    await sleep(500);
    await route.continue();
  });
  await logIn(user, password);
  await page.waitForFunction(() => {
    const button = document.querySelector('.login-form button[type="submit"]');
    return button?.disabled && button.getAttribute('aria-busy') === 'true';
  });
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.unroute('**/api/auth/login');
  assert.match(await textOf(page.locator('.account-user')), /e2e-user/);
  assert.equal(await page.title(), 'Dashboard · Medical Image Server');

  // Already logged in: opening the UI again goes straight to the dashboard.
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.equal(await page.getByLabel('Password').count(), 0);
});

uiTest('2. the patient name button shows C3N-01196, and the default volume is preselected', async () => {
  const defaultSeries = await page.evaluate(async () => (await (await fetch('/api/patient-name')).json()).series);
  await page.waitForFunction((id) => document.querySelector('#series-select')?.value === id, defaultSeries);
  assert.match(await page.locator('#series-select option:checked').innerText(), /C3N-01196 · t1_mpr_tra_iso · MR · 33 images/);

  // Keyboard only: from the selector, Tab reaches the reload button, then "Patient name".
  await page.locator('#series-select').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Patient name');
  await page.keyboard.press('Enter');
  assert.equal(await textOf(page.getByTestId('patient-name')), 'C3N-01196');
});

uiTest('3. the middle-slice button shows the 512-pixel image, "slice 17 of 33", and its overlay', async () => {
  await page.getByRole('button', { name: 'Middle slice' }).click();
  const image = page.getByTestId('middle-slice');
  await page.waitForFunction(() => {
    const element = document.querySelector('[data-testid="middle-slice"]');
    return element?.complete && element.naturalWidth > 0;
  });
  assert.equal(await image.evaluate((element) => element.naturalWidth), 512);
  assert.equal(await textOf(page.getByTestId('slice-label')), 'slice 17 of 33');
  const plainUrl = await image.getAttribute('src');
  assert.match(plainUrl, /^blob:/);

  // The threshold toggle fetches the overlay and frees the previous image.
  await page.getByText('Show threshold').click();
  await page.waitForFunction(
    (old) => {
      const element = document.querySelector('[data-testid="middle-slice"]');
      return element && element.src !== old && element.complete && element.naturalWidth === 512;
    },
    plainUrl,
  );
  await page.locator('.tag-overlay').waitFor();
  assert.equal(await textOf(page.getByTestId('slice-label')), 'slice 17 of 33');
  assert.match(await image.getAttribute('alt'), /tinted red/);
  const revoked = await page.evaluate(async (url) => {
    try {
      await fetch(url);
      return false;
    } catch {
      return true;
    }
  }, plainUrl);
  assert.equal(revoked, true, 'the previous object URL is revoked');
});

uiTest('3b. another stored series: its patient name ("Family, Given") and its middle slice', async () => {
  const option = page.locator('#series-select option', { hasText: 'Buc, Jérôme' });
  await option.waitFor({ state: 'attached' });
  await page.locator('#series-select').selectOption(await option.getAttribute('value'));
  // What was shown belonged to the other series.
  assert.equal(await page.getByTestId('middle-slice').count(), 0);
  await page.getByRole('button', { name: 'Patient name' }).click();
  assert.equal(await textOf(page.getByTestId('patient-name')), 'Buc, Jérôme');
  await page.getByRole('button', { name: 'Middle slice' }).click();
  assert.equal(await textOf(page.getByTestId('slice-label')), 'slice 1 of 1');
});

uiTest('3c. a colour series shows its image in colour, without the overlay, saying why', async () => {
  const option = page.locator('#series-select option', { hasText: 'Lestrade, G' });
  await option.waitFor({ state: 'attached' });
  await page.locator('#series-select').selectOption(await option.getAttribute('value'));
  await page.getByRole('button', { name: 'Middle slice' }).click();  // the overlay is still on
  await page.waitForFunction(() => {
    const element = document.querySelector('[data-testid="middle-slice"]');
    return element?.complete && element.naturalWidth === 100;
  });
  assert.match(await textOf(page.getByTestId('slice-note')), /colour image/);
  assert.equal(await page.locator('.tag-overlay').count(), 0);
  assert.equal(await page.getByRole('alert').count(), 0);
  // Back to the default volume for the rest.
  const defaultOption = page.locator('#series-select option', { hasText: '(default)' });
  await page.locator('#series-select').selectOption(await defaultOption.getAttribute('value'));
});

uiTest('4. dropped DICOM files show 50,080 pixels and 143,280.03 mm³; a text file a readable error; no spacing a warning', async () => {
  // The file input (what "choose files" and the keyboard use).
  await page.locator('#dicom-files').setInputFiles(sampleFile);
  await expectSampleFigures(uploadRows('1-101.dcm').first());

  // A real drop event, with a DataTransfer built in the page.
  const base64 = fs.readFileSync(sampleFile).toString('base64');
  await page.evaluate((bytesBase64) => {
    const bytes = Uint8Array.from(atob(bytesBase64), (character) => character.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], '1-101.dcm', { type: 'application/dicom' }));
    const zone = document.querySelector('[data-testid="drop-zone"]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, base64);
  await page.waitForFunction(() => document.querySelectorAll('[data-file-name="1-101.dcm"]').length === 2);
  await expectSampleFigures(uploadRows('1-101.dcm').first());

  // Several files at once, chosen from the keyboard: one row each; a text file gives the
  // server's reason in words.
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#dicom-files').focus();
  await page.keyboard.press('Space');
  await (await chooser).setFiles([
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('These are not pixels.\n') },
    { name: 'copy.dcm', mimeType: 'application/dicom', buffer: fs.readFileSync(sampleFile) },
    { name: 'rtdose.dcm', mimeType: 'application/dicom', buffer: fs.readFileSync(noSpacingFile) },
  ]);
  const textRow = uploadRows('notes.txt');
  await textRow.locator('.badge-failed').waitFor();
  assert.equal(await textOf(textRow.getByRole('alert')), 'The file is not a DICOM file.');
  await expectSampleFigures(uploadRows('copy.dcm'));
  // No SliceThickness: a count, no volume, and the server's warning instead.
  const noSpacingRow = uploadRows('rtdose.dcm');
  await noSpacingRow.locator('.badge-done').waitFor();
  assert.equal(await textOf(noSpacingRow.locator('[data-testid="pixels"]')), '739');
  assert.equal(await textOf(noSpacingRow.locator('[data-testid="volume"]')), 'not available');
  assert.match(await textOf(noSpacingRow.getByTestId('warnings')), /SliceThickness/);
  assert.equal(await page.locator('[data-testid="upload-row"]').count(), 5);

  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /\[object Object\]|undefined|NaN/);

  // The screenshot a person looks at: the dashboard with every kind of result.
  await page.getByRole('button', { name: 'Patient name' }).click();
  await page.getByTestId('patient-name').waitFor();
  await page.getByRole('button', { name: 'Middle slice' }).click();
  await page.getByTestId('slice-label').waitFor();
  await page.screenshot({ path: path.join(outputDir, 'dashboard-with-results.png'), fullPage: true });
});

uiTest('5. logout returns to the login page and the session is gone', async () => {
  const blobUrls = await page.evaluate(() =>
    [...document.querySelectorAll('img')].map((image) => image.src).filter((src) => src.startsWith('blob:')),
  );
  assert.ok(blobUrls.length > 0);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.equal(await textOf(page.getByRole('status')), 'You have logged out.');
  assert.equal(await statusOf('/api/patient-name'), 401);
  // Orthanc's own routes, through the front: 401 without the Basic challenge
  // that would open the browser's own password dialog.
  const series = await page.evaluate(async () => {
    const answer = await fetch('/series');
    return [answer.status, answer.headers.get('www-authenticate')];
  });
  assert.deepEqual(series, [401, null]);

  // No patient data left in the page, its object URLs freed.
  assert.doesNotMatch(await page.content(), /C3N-01196|Jérôme|143,280\.03|data:image\/png/);
  for (const url of blobUrls) {
    const alive = await page.evaluate(async (target) => {
      try {
        await fetch(target);
        return true;
      } catch {
        return false;
      }
    }, url);
    assert.equal(alive, false, `${url} is revoked`);
  }

  // Leaving and coming back with the back button shows the login page again.
  await page.goto('about:blank');
  await page.goBack();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.doesNotMatch(await page.content(), /C3N-01196/);
});

uiTest('6. an ended session (401 on /api and on /series, back/forward cache) sends the user back to log in', async () => {
  await logIn(user, password);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await context.clearCookies();
  await page.getByRole('button', { name: 'Patient name' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.equal(await textOf(page.getByRole('status')), 'Your session has ended. Please log in again.');

  await logIn(user, password);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await context.clearCookies();
  await page.getByRole('button', { name: 'Reload the list of series' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();

  // A page restored from the back/forward cache asks the server before showing anything.
  await logIn(user, password);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('button', { name: 'Patient name' }).click();
  await page.getByTestId('patient-name').waitFor();
  await context.clearCookies();
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.doesNotMatch(await page.content(), /C3N-01196/);
});

uiTest(
  '7. the page raised no script error',
  async () => {
    assert.deepEqual(pageErrors.map(String), []);
  },
  { always: true },
);
