import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../http/api-error';

export type ListQuery = { mode: 'stream' } | { mode: 'page'; cursor: string; count: number };

export const DEFAULT_PAGE_COUNT = 100;

function single(name: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
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
  return key;
}
