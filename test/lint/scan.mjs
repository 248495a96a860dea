// Runs n8n's community-package scanner (the checks n8n uses to verify a package) on a
// folder with the scanner's own file patterns, and prints the result as JSON.
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [dir, mode] = process.argv.slice(2);
const patterns = mode === 'dist' ? ['**/*.js', 'package.json'] : SOURCE_FILE_PATTERNS;
const result = await analyzePackage(dir, patterns);
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message ?? '', details: result.details ?? '' }));
