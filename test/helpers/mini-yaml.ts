/**
 * A small YAML reader for the repository's own GitHub workflow files (no dependency): block
 * mappings and sequences by indentation, `- key: value` items, plain / single / double quoted
 * scalars, flow sequences of scalars (`[a, b]`), block scalars (`|`, `>`, with `-`/`+`), and
 * comments. Anchors, tags, multi-documents and flow mappings are refused, not guessed.
 */
export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
	no: number;
	indent: number;
	text: string;
}

/** Removes a comment (`#` at the start or after a space, outside quotes). */
function stripComment(text: string): string {
	let quote: string | undefined;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === quote) {
				if (quote === "'" && text[i + 1] === "'") i++;
				else quote = undefined;
			} else if (c === '\\' && quote === '"') i++;
		} else if (c === "'" || c === '"') {
			if (i === 0 || /[\s:[,-]/.test(text[i - 1])) quote = c;
		} else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i);
	}
	return text;
}

function scalar(raw: string, no: number): Yaml {
	const s = raw.trim();
	if (s === '' || s === '~' || s === 'null') return null;
	if (s === 'true') return true;
	if (s === 'false') return false;
	if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
	if (s.startsWith("'")) {
		if (!s.endsWith("'") || s.length < 2) throw new Error(`line ${no}: unterminated '${s}`);
		return s.slice(1, -1).replace(/''/g, "'");
	}
	if (s.startsWith('"')) {
		if (!s.endsWith('"') || s.length < 2) throw new Error(`line ${no}: unterminated "${s}`);
		return JSON.parse(s) as string;
	}
	if (s.startsWith('[')) {
		if (!s.endsWith(']')) throw new Error(`line ${no}: multi-line flow sequence not supported`);
		const inner = s.slice(1, -1).trim();
		return inner === '' ? [] : inner.split(',').map((part) => scalar(part, no));
	}
	if (/^[{&*!]/.test(s) || s === '---' || s === '...')
		throw new Error(`line ${no}: unsupported YAML (${s})`);
	return s;
}

/** `key: rest` → [key, rest]; undefined when the text is no mapping entry. */
function splitKey(text: string): [string, string] | undefined {
	const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"#][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
	if (!m) return undefined;
	const key = m[1].startsWith('"') || m[1].startsWith("'") ? String(scalar(m[1], 0)) : m[1];
	return [key, m[2] ?? ''];
}

export function parseYaml(source: string): Yaml {
	const raw = source.replace(/\r\n?/g, '\n').split('\n');
	const lines: Line[] = [];
	/** Block scalar bodies, by the line number of their header. */
	const blocks = new Map<number, string>();
	for (let i = 0; i < raw.length; i++) {
		if (/\t/.test(raw[i].match(/^\s*/)![0])) throw new Error(`line ${i + 1}: tab indentation`);
		const text = stripComment(raw[i]).trimEnd();
		if (text.trim() === '') continue;
		const indent = text.length - text.trimStart().length;
		lines.push({ no: i + 1, indent, text: text.trim() });
		const header = /(?:^|:\s+|^-\s+)([|>])([+-]?)$/.exec(text.trim());
		if (!header) continue;
		// the body: following lines indented deeper than this line (blank lines kept)
		const body: string[] = [];
		let j = i + 1;
		for (; j < raw.length; j++) {
			const l = raw[j];
			if (l.trim() === '') {
				body.push('');
				continue;
			}
			if (l.length - l.trimStart().length <= indent) break;
			body.push(l);
		}
		while (body.length && body[body.length - 1] === '') body.pop();
		const cut = Math.min(
			...body.filter((l) => l !== '').map((l) => l.length - l.trimStart().length),
		);
		const content = body.map((l) => l.slice(Number.isFinite(cut) ? cut : 0));
		let value =
			header[1] === '|'
				? content.join('\n')
				: content.join('\n').replace(/([^\n])\n(?!\n)/g, '$1 ');
		if (header[2] !== '-') value += '\n';
		blocks.set(i + 1, value);
		i = j - 1; // the body's lines are no lines of the structure
	}
	let pos = 0;

	const valueAfter = (line: Line, rest: string, indent: number): Yaml => {
		if (blocks.has(line.no)) return blocks.get(line.no)!;
		if (rest !== '') return scalar(rest, line.no);
		const next = lines[pos];
		if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- '))))
			return parseBlock(next.indent);
		return null;
	};

	function parseBlock(indent: number): Yaml {
		const first = lines[pos];
		if (first.text === '-' || first.text.startsWith('- ')) return parseSequence(indent);
		return parseMapping(indent);
	}

	function parseSequence(indent: number): Yaml[] {
		const out: Yaml[] = [];
		while (pos < lines.length && lines[pos].indent === indent && /^-(\s|$)/.test(lines[pos].text)) {
			const line = lines[pos];
			const rest = line.text.slice(1).trimStart();
			const inner = indent + (line.text.length - rest.length);
			if (rest === '') {
				pos++;
				out.push(lines[pos] && lines[pos].indent > indent ? parseBlock(lines[pos].indent) : null);
			} else if (splitKey(rest)) {
				// `- key: value`: a mapping whose first entry sits on the dash's line
				lines[pos] = { no: line.no, indent: inner, text: rest };
				out.push(parseMapping(inner));
			} else {
				pos++;
				out.push(blocks.has(line.no) ? blocks.get(line.no)! : scalar(rest, line.no));
			}
		}
		return out;
	}

	function parseMapping(indent: number): { [key: string]: Yaml } {
		const out: { [key: string]: Yaml } = {};
		while (pos < lines.length && lines[pos].indent === indent) {
			const line = lines[pos];
			if (line.text.startsWith('- ')) break;
			const kv = splitKey(line.text);
			if (!kv) throw new Error(`line ${line.no}: expected "key: value", got ${line.text}`);
			if (kv[0] in out) throw new Error(`line ${line.no}: duplicate key ${kv[0]}`);
			pos++;
			out[kv[0]] = valueAfter(line, kv[1], indent);
		}
		if (pos < lines.length && lines[pos].indent > indent)
			throw new Error(`line ${lines[pos].no}: unexpected indentation`);
		return out;
	}

	if (lines.length === 0) return null;
	const doc = parseBlock(lines[0].indent);
	if (pos < lines.length) throw new Error(`line ${lines[pos].no}: unexpected content`);
	return doc;
}
