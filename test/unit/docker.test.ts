/**
 * docker/compose.yaml and docker/Dockerfile say what the queue-mode e2e test proves
 * (test/e2e/queue-mode.e2e.test.ts): every variable the test gives its n8n processes for
 * queue mode is in the compose file (test-only settings aside), workers get their health
 * check, and the image installs the package where n8n loads community packages from.
 * (Text checks: no container runtime needed, and none was run.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as q from '../harness/queue-mode';

const root = join(__dirname, '..', '..');
const compose = readFileSync(join(root, 'docker', 'compose.yaml'), 'utf8');
const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');

/** Settings of the test only: loopback binding, sqlite removal, faster Bull lock timings. */
const TEST_ONLY = new Set([
	'DB_SQLITE_DATABASE',
	'N8N_WORKER_SERVER_ADDRESS',
	...Object.keys(q.TEST_QUEUE_SETTINGS),
]);

/** The lines of one service (up to the next service or top-level key). */
function service(name: string): string {
	const m = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, 'm').exec(compose);
	if (!m) throw new Error(`docker/compose.yaml has no service ${name}`);
	return m[1];
}

test('compose: every queue-mode variable of the e2e test, for main and workers alike', () => {
	const env = q.queueEnv(
		{ host: 'h', port: 1, database: 'n8n', user: 'n8n', password: 'p' } as never,
		{ host: 'r', port: 2, password: 'x' } as never,
	);
	const shared = /x-n8n-env: &n8n-env\n((?:  .*\n)*)/.exec(compose)?.[1] ?? '';
	const worker = service('n8n-worker');
	const missing = Object.keys(env).filter(
		(k) =>
			!TEST_ONLY.has(k) &&
			!new RegExp(`^  ${k}:`, 'm').test(shared) &&
			!new RegExp(`^      ${k}:`, 'm').test(worker),
	);
	expect(missing).toEqual([]);
	expect(shared).toMatch(/^ {2}EXECUTIONS_MODE: queue$/m);
	expect(service('n8n')).toMatch(/<<: \*n8n-env/);
	expect(worker).toMatch(/<<: \*n8n-env/);
	expect(worker).toMatch(/QUEUE_HEALTH_CHECK_ACTIVE: 'true'/);
	expect(worker).toMatch(/command: worker\b/);
	expect(worker).toMatch(/replicas: 2/);
	for (const s of ['postgres', 'redis']) expect(service(s)).toMatch(/image: /);
});

test('Dockerfile: n8n’s image, the package installed into the user folder’s nodes/ (as the test does)', () => {
	expect(dockerfile).toMatch(/^FROM docker\.n8n\.io\/n8nio\/n8n:\$\{N8N_VERSION\}$/m);
	expect(dockerfile).toMatch(/^USER node$/m);
	expect(dockerfile).toMatch(/cd \/home\/node\/\.n8n\/nodes/);
	expect(dockerfile).toMatch(/npm install --omit=dev --omit=peer --omit=optional --ignore-scripts/);
	expect(dockerfile).toMatch(/n8n-nodes-zoho-crm-related-records@\$\{PACKAGE_VERSION\}/);
});
