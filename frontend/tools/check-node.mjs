// Fails with a clear message when this Node.js cannot build or test the UI.
// The toolchain (Vite 6, Vitest 3, openapi-typescript 7, playwright-core 1.61)
// is chosen to run on the Node.js of both supported Debian releases: 18.19+
// (Debian 12 ships 18.20) and 20 (Debian 13 ships 20.19). Used by `make deps`.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 18 || (major === 18 && minor < 19)) {
  console.error(
    `Node.js ${process.versions.node} is too old for the web UI: it needs 18.19 or newer.\n` +
      "Install Debian's nodejs package (Debian 12: 18.20, Debian 13: 20.19), then run make deps again.",
  );
  process.exit(1);
}
