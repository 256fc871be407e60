// String.prototype.isWellFormed (Node 20+); the project's lib is ES2023.
/// <reference lib="es2024.string" />
import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../http/api-error';

export type ListQuery = { mode: 'stream' } | { mode: 'page'; cursor: string; count: number };

export const DEFAULT_PAGE_COUNT = 100;

/** A query value whose percent-encoding is not valid UTF-8; the parameter readers refuse it. */
export class UndecodableQueryValue {
  constructor(readonly raw: string) {}
}

export type QueryValue = string | UndecodableQueryValue | (string | UndecodableQueryValue)[];

const PLUS = /\+/g;

// As in fast-querystring: an object without inherited properties ("?__proto__=x" is a plain
// name), yet made by a constructor, so that V8 keeps it in fast mode.
const QueryObject = function () {} as unknown as new () => Record<string, QueryValue>;
QueryObject.prototype = Object.create(null);

function decodeComponent(text: string, plus: boolean, percent: boolean): string | UndecodableQueryValue {
  const spaced = plus ? text.replace(PLUS, ' ') : text;
  if (!percent) return spaced;
  try {
    // Throws URIError for a stray "%", a truncated sequence, and bytes that are not UTF-8
    // (%FF, an encoded surrogate such as %ED%A0%80, overlong forms).
    return decodeURIComponent(spaced);
  } catch {
    return new UndecodableQueryValue(spaced);
  }
}

/**
 * The API's querystring parser: Fastify's (fast-querystring, in one pass like it) semantics —
 * "+" is a space, a repeated name gives an array, a name without "=" has the value "" — except
 * that a value that cannot be decoded is not passed on as its raw text (so "?key=%FF" would not
 * delete the key named "%FF"): it becomes an UndecodableQueryValue, which the readers below
 * answer with 400. A name that cannot be decoded is kept as written, as Fastify does.
 */
export function parseQueryString(query: string): Record<string, QueryValue> {
  // No query (GET /): what find-my-way's default parser returns too.
  if (query.length === 0) return {};
  const result = new QueryObject();
  let start = 0;
  let equals = -1;
  let namePlus = false;
  let namePercent = false;
  let valuePlus = false;
  let valuePercent = false;
  for (let i = 0; i <= query.length; i++) {
    const c = i === query.length ? 0x26 : query.charCodeAt(i);
    if (c === 0x26 /* & */) {
      if (i > start) {
        const nameEnd = equals === -1 ? i : equals;
        const decoded = decodeComponent(query.slice(start, nameEnd), namePlus, namePercent);
        const name = typeof decoded === 'string' ? decoded : decoded.raw;
        const value = equals === -1 ? '' : decodeComponent(query.slice(equals + 1, i), valuePlus, valuePercent);
        const current = result[name];
        if (current === undefined) result[name] = value;
        else if (Array.isArray(current)) current.push(value);
        else result[name] = [current, value];
      }
      start = i + 1;
      equals = -1;
      namePlus = namePercent = valuePlus = valuePercent = false;
    } else if (c === 0x3d /* = */ && equals === -1) {
      equals = i;
    } else if (c === 0x2b /* + */) {
      if (equals === -1) namePlus = true;
      else valuePlus = true;
    } else if (c === 0x25 /* % */) {
      if (equals === -1) namePercent = true;
      else valuePercent = true;
    }
  }
  return result;
}

function single(name: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (raw instanceof UndecodableQueryValue) {
    throw new ApiError(HttpStatus.BAD_REQUEST, `Query parameter "${name}" is not valid percent-encoded UTF-8`);
  }
  if (typeof raw !== 'string') throw new ApiError(HttpStatus.BAD_REQUEST, `Query parameter "${name}" must be given once`);
  return raw;
}

/** No cursor and no count: stream everything. Either one: paginate. */
export function parseListQuery(query: Record<string, unknown>, maxCount: number): ListQuery {
  const cursor = single('cursor', query.cursor);
  const countText = single('count', query.count);
  if (cursor === undefined && countText === undefined) return { mode: 'stream' };
  let count = DEFAULT_PAGE_COUNT;
  if (countText !== undefined) {
    count = /^\d{1,6}$/.test(countText) ? Number(countText) : Number.NaN;
    if (!(count >= 1 && count <= maxCount)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, `Query parameter "count" must be an integer from 1 to ${maxCount}`);
    }
  }
  return { mode: 'page', cursor: cursor ?? '0', count };
}

export function parseDeleteKey(raw: unknown): string {
  const key = single('key', raw);
  if (!key) throw new ApiError(HttpStatus.BAD_REQUEST, 'Key parameter is required');
  // Percent-decoding never yields a lone surrogate; a key reaching here another way is refused the same.
  if (!key.isWellFormed()) {
    throw new ApiError(HttpStatus.BAD_REQUEST, 'Query parameter "key" is not well-formed Unicode: it holds a lone surrogate');
  }
  return key;
}
