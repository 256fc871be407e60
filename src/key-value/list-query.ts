// String.prototype.isWellFormed (Node 20+); the project's lib is ES2023.
/// <reference lib="es2024.string" />
import { HttpStatus } from '@nestjs/common';
import { parse as parseQuery } from 'fast-querystring';
import { ApiError } from '../http/api-error';

export type ListQuery = { mode: 'stream' } | { mode: 'page'; cursor: string; count: number };

export const DEFAULT_PAGE_COUNT = 100;

/** A query value whose percent-encoding is not valid UTF-8; the parameter readers refuse it. */
export class UndecodableQueryValue {
  constructor(readonly raw: string) {}
}

export type QueryValue = string | UndecodableQueryValue | (string | UndecodableQueryValue)[];

const PLUS = /\+/g;

function decoded(text: string): string | undefined {
  try {
    // Throws URIError for a stray "%", a truncated sequence, and bytes that are not UTF-8
    // (%FF, an encoded surrogate such as %ED%A0%80, overlong forms).
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The API's querystring parser: Fastify's own (fast-querystring), except that a value that
 * cannot be decoded is not passed on as its raw text (so "?key=%FF" would delete the key
 * named "%FF"): it becomes an UndecodableQueryValue, which the readers below answer with 400.
 */
export function parseQueryString(query: string): Record<string, QueryValue> {
  const parsed = parseQuery(query) as Record<string, QueryValue>;
  // The common case costs one scan: nothing encoded, or all of it decodes.
  if (!query.includes('%') || decoded(query) !== undefined) return parsed;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    const value = pair.slice(equals + 1).replace(PLUS, ' ');
    if (decoded(value) !== undefined) continue;
    // Named as fast-querystring names it: decoded when it can be, else as written.
    const name = pair.slice(0, equals).replace(PLUS, ' ');
    parsed[decoded(name) ?? name] = new UndecodableQueryValue(value);
  }
  return parsed;
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
