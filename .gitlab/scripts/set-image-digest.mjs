// Sets one scalar in a YAML file, addressed by a dotted path of block-mapping
// keys (e.g. kvApi.image.digest), changing nothing else: comments, order and
// formatting survive, so the promotion MR diff is exactly one line.
// Dependency-free on purpose (runs in the plain Node job image). Fails when
// the path is missing, ambiguous or not a plain scalar instead of guessing.
//
// CLI: node set-image-digest.mjs FILE KEY.PATH sha256:<64 hex>
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

const KEY_LINE = /^(\s*)((?:"[^"]*")|(?:'[^']*')|[^\s#'"{[\-][^:#]*?)\s*:(?:\s+(.*?))?\s*$/;

function unquote(key) {
  return /^["'].*["']$/.test(key) ? key.slice(1, -1) : key;
}

function splitComment(rest) {
  // A ' #' outside quotes starts a comment; keep it verbatim.
  let quote = null;
  for (let i = 0; i < rest.length; i += 1) {
    const c = rest[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(rest[i - 1]))) {
      return [rest.slice(0, i).trimEnd(), rest.slice(i)];
    }
  }
  return [rest, ''];
}

export function setScalar(text, dottedPath, value) {
  const want = dottedPath.split('.');
  const lines = text.split('\n');
  const stack = []; // { indent, key }
  let blockScalarIndent = -1;
  const hits = [];
  lines.forEach((line, i) => {
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent >= 0) {
      if (line.trim() === '' || indent > blockScalarIndent) return;
      blockScalarIndent = -1;
    }
    if (/^\s*(#|$)/.test(line) || /^(---|\.\.\.)\s*$/.test(line)) return;
    const m = KEY_LINE.exec(line);
    if (!m) return; // sequence items, flow collections, continuation lines
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    stack.push({ indent, key: unquote(m[2].trim()) });
    const [valuePart] = splitComment(m[3] ?? '');
    if (/^[|>]/.test(valuePart)) blockScalarIndent = indent;
    if (stack.length === want.length && stack.every((s, k) => s.key === want[k])) hits.push({ i, m });
  });
  if (hits.length === 0) throw new Error(`key path ${dottedPath} not found (block mapping expected)`);
  if (hits.length > 1) throw new Error(`key path ${dottedPath} occurs ${hits.length} times`);
  const { i, m } = hits[0];
  const [oldValue, comment] = splitComment(m[3] ?? '');
  if (/^[|>&*!{[]/.test(oldValue)) throw new Error(`${dottedPath} is not a plain scalar: ${oldValue}`);
  const before = lines[i].slice(0, lines[i].indexOf(':', m[1].length + m[2].length) + 1);
  lines[i] = `${before} "${value}"${comment ? ` ${comment}` : ''}`;
  return { text: lines.join('\n'), previous: unquote(oldValue.trim()), changed: unquote(oldValue.trim()) !== value };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, dottedPath, digest] = process.argv.slice(2);
  if (!file || !dottedPath || !DIGEST_RE.test(digest ?? '')) {
    console.error('usage: set-image-digest.mjs FILE KEY.PATH sha256:<64 hex>');
    process.exit(2);
  }
  try {
    const result = setScalar(readFileSync(file, 'utf8'), dottedPath, digest);
    if (result.changed) writeFileSync(file, result.text);
    console.log(result.changed ? `${file}: ${dottedPath} ${result.previous || '(empty)'} -> ${digest}` : `${file}: ${dottedPath} already ${digest}`);
  } catch (err) {
    console.error(`${file}: ${err.message}`);
    process.exit(1);
  }
}
