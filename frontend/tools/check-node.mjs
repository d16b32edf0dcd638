// Fails with a clear message when this Node.js cannot build the UI
// (Vite 8 and Vitest 4 need 20.19 or newer). Used by `make deps`.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `Node.js ${process.versions.node} is too old for the web UI: Vite 8 needs 20.19 or newer.\n` +
      'Install a newer nodejs package (Debian 12 ships 18; Debian 13 ships 20), then run make deps again.',
  );
  process.exit(1);
}
