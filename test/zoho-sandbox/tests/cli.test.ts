/**
 * cli.js, the sandbox as a process of its own: the JSON line it prints, the API and /__sandbox/*
 * it serves, how it ends (SIGTERM, its stdin closing, --max-seconds) and its options.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

describe('cli.js', () => {
	const cli = path.join(__dirname, '..', 'cli.js');

	function spawnCli(args: string[]) {
		const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		const firstLine = new Promise<any>((resolve, reject) => {
			const lines = createInterface({ input: child.stdout });
			lines.once('line', (line) => {
				lines.close();
				resolve(JSON.parse(line));
			});
			child.once('exit', (code) => reject(new Error(`cli exited with ${code}`)));
		});
		firstLine.catch(() => undefined); // awaited by the tests that expect a line
		return { child, exited, firstLine };
	}

	test('prints one JSON line (url, tokens, client, seed), serves the API and /__sandbox/stats, stops on SIGTERM', async () => {
		const { child, exited, firstLine } = spawnCli(['--seed', 'demo', '--port', '0']);
		const info = await firstLine;
		expect(info).toMatchObject({
			url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
			accessToken: expect.stringMatching(/^1000\./),
			refreshToken: expect.stringMatching(/^1000\./),
			expiredAccessToken: expect.stringMatching(/^1000\./),
			clientId: 'sandbox-client-id',
			clientSecret: 'sandbox-client-secret',
		});
		expect(info.seed.contactIds).toHaveLength(250);
		const { campaignId, contactIds } = info.seed;
		const res = await fetch(
			`${info.url}/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.slice(0, 100).join(',')}`,
			{
				method: 'DELETE',
				headers: { Authorization: `Bearer ${info.accessToken}` },
			},
		);
		expect(res.status).toBe(200);
		await res.arrayBuffer();
		const expired = await fetch(`${info.url}/crm/v2/Campaigns/${campaignId}`, {
			headers: { Authorization: `Bearer ${info.expiredAccessToken}` },
		});
		expect(expired.status).toBe(401);
		await expired.arrayBuffer();
		const stats = (await (await fetch(`${info.url}/__sandbox/stats`)).json()) as any;
		expect(stats).toMatchObject({ apiRequests: 2, deleteCalls: 1, relationsRemoved: 100 });
		const linked = (await (
			await fetch(
				`${info.url}/__sandbox/linked?module=Campaigns&id=${campaignId}&relatedList=Contacts`,
			)
		).json()) as any;
		expect(linked.ids).toHaveLength(150);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	test('exits by itself when its stdin closes (the parent died)', async () => {
		const { child, exited, firstLine } = spawnCli([]);
		await firstLine;
		child.stdin.end();
		expect(await exited).toBe(0);
	});

	test('exits by itself after --max-seconds', async () => {
		const { exited, firstLine } = spawnCli(['--max-seconds', '0.3']);
		await firstLine;
		expect(await exited).toBe(0);
	});

	test('rejects an unknown option with exit code 2', async () => {
		const { exited } = spawnCli(['--nope', '1']);
		expect(await exited).toBe(2);
	});

	test('--page-tokens, --page-window N and --not-linked-answer X set the fault options', async () => {
		const { child, exited, firstLine } = spawnCli([
			'--page-tokens',
			'--page-window',
			'10',
			'--not-linked-answer',
			'success',
		]);
		const info = await firstLine;
		const faults = (await (await fetch(`${info.url}/__sandbox/faults`)).json()) as any;
		expect(faults).toMatchObject({
			pageTokens: true,
			pageWindow: 10,
			notLinkedAnswer: 'success',
		});
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	test('--not-linked-answer with an unknown value exits with code 2', async () => {
		const { exited } = spawnCli(['--not-linked-answer', 'maybe']);
		expect(await exited).toBe(2);
	});
});
