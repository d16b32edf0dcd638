// Screenshots of the UI for people to look at (not a test):
//   npm run screenshots   (from tests/e2e, after `make build build-ui`)
// Starts its own server like the tests, logs in, shows a patient name, the
// middle slice with its overlay and two analysed files, and saves the login
// page and the dashboard at laptop (1280×800) and phone (390×844) sizes.

import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, viewports } from './lib/browser.mjs';
import { addUser, randomPassword, repoRoot, startServer, waitForDefaultVolume } from './lib/server.mjs';

const outputDir = path.resolve(process.env.E2E_OUTPUT_DIR ?? path.join(repoRoot, 'tests/e2e/output'), 'screenshots');
fs.mkdirSync(outputDir, { recursive: true });

const server = await startServer();
const browser = await launchChromium();
try {
  const password = randomPassword();
  addUser(server.stateDir, 'dr.morgan', password);
  await waitForDefaultVolume(server.baseUrl, 'dr.morgan', password);

  for (const [name, viewport] of Object.entries(viewports)) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('User name').waitFor();
    await page.screenshot({ path: path.join(outputDir, `login-${name}.png`) });

    await page.getByLabel('User name').fill('dr.morgan');
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('alert').waitFor();
    await page.screenshot({ path: path.join(outputDir, `login-error-${name}.png`) });

    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('button', { name: 'Patient name' }).click();
    await page.getByTestId('patient-name').waitFor();
    await page.getByText('Show threshold').click();
    await page.getByRole('button', { name: 'Middle slice' }).click();
    await page.getByTestId('slice-label').waitFor();
    await page.locator('#dicom-files').setInputFiles([
      { name: '1-101.dcm', mimeType: 'application/dicom', buffer: fs.readFileSync(path.join(repoRoot, 'tests/data/1-101.dcm')) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image\n') },
    ]);
    await page.locator('[data-testid="upload-row"] .badge-done').waitFor();
    await page.locator('[data-testid="upload-row"] .badge-failed').waitFor();
    await page.screenshot({ path: path.join(outputDir, `dashboard-${name}.png`) });
    await page.screenshot({ path: path.join(outputDir, `dashboard-${name}-full.png`), fullPage: true });
    await context.close();
  }
  console.log(`screenshots in ${outputDir}`);
} finally {
  await browser.close();
  await server.stop();
}
