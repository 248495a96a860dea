// Removes dist before a build, so a file deleted from the source never ships.
require('fs').rmSync(require('path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
