import { HttpException } from '@nestjs/common';
import { loadConfig } from '../../src/config/app-config';
import { WriteBodyPipe } from '../../src/key-value/write-body.pipe';

const pipe = new WriteBodyPipe(loadConfig({ MAX_KEY_BYTES: '8', MAX_VALUE_BYTES: '16', BODY_LIMIT_BYTES: '1024' }));

function rejection(body: unknown): [number, string] {
  try {
    pipe.transform(body);
  } catch (error) {
    const http = error as HttpException;
    return [http.getStatus(), (http.getResponse() as { error: string }).error];
  }
  throw new Error('expected a rejection');
}

describe('WriteBodyPipe', () => {
  it('passes a valid pair', () => {
    expect(pipe.transform({ key: 'k', value: 'v', extra: 1 })).toEqual({ key: 'k', value: 'v' });
  });

  it.each([undefined, null])('treats %p as "no payload"', (body) => {
    expect(pipe.transform(body)).toBeNull();
  });

  it.each([
    [[], 400, 'Request body must be a JSON object'],
    ['text', 400, 'Request body must be a JSON object'],
    [7, 400, 'Request body must be a JSON object'],
    [{}, 400, 'Both "key" and "value" are required'],
    [{ key: 'k' }, 400, 'Both "key" and "value" are required'],
    [{ value: 'v' }, 400, 'Both "key" and "value" are required'],
    [{ key: '', value: 'v' }, 400, 'Both "key" and "value" are required'],
    [{ key: 'k', value: '' }, 400, 'Both "key" and "value" are required'],
    [{ key: null, value: 'v' }, 400, 'Both "key" and "value" are required'],
    [{ key: 3, value: 'v' }, 400, '"key" must be a string'],
    [{ key: 'k', value: ['v'] }, 400, '"value" must be a string'],
    [{ key: 'k'.repeat(9), value: 'v' }, 413, 'Key exceeds the limit of 8 bytes'],
    [{ key: 'ééééé', value: 'v' }, 413, 'Key exceeds the limit of 8 bytes'],
    [{ key: 'k', value: 'v'.repeat(17) }, 413, 'Value exceeds the limit of 16 bytes'],
    [{ key: 'k\ud800', value: 'v' }, 400, '"key" is not well-formed Unicode: it holds a lone surrogate'],
    [{ key: '\udfff', value: 'v' }, 400, '"key" is not well-formed Unicode: it holds a lone surrogate'],
    [{ key: 'k', value: 'v\udc00\ud83d' }, 400, '"value" is not well-formed Unicode: it holds a lone surrogate'],
  ])('rejects %j', (body, status, message) => {
    expect(rejection(body)).toEqual([status, message]);
  });

  it('accepts surrogate pairs', () => {
    expect(pipe.transform({ key: '🔑', value: 'v🏔' })).toEqual({ key: '🔑', value: 'v🏔' });
  });

  it('accepts a key exactly at the byte limit, multi-byte characters included', () => {
    expect(pipe.transform({ key: 'éééé', value: 'v' })).toEqual({ key: 'éééé', value: 'v' });
  });
});
