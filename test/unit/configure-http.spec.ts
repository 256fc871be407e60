import pino from 'pino';
import { Writable } from 'node:stream';
import { isBlank, withoutRequestChildren } from '../../src/http/configure-http';

describe('isBlank', () => {
  it.each([['', true], [' \t\r\n', true], ['{}', false], ['  {"key":"a"}', false], ['\u00a0', false]])(
    '%p is blank: %p',
    (text, blank) => expect(isBlank(Buffer.from(text))).toBe(blank),
  );
});

describe('withoutRequestChildren', () => {
  it('logs through the root logger, and its children are itself', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const root = pino({ base: { service: 'kv-api' } }, sink);
    const logger = withoutRequestChildren(root);
    expect(logger.child({ reqId: 'r1' })).toBe(logger);
    logger.warn({ port: 1 }, 'from fastify');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, service: 'kv-api', port: 1, msg: 'from fastify' });
  });
});
