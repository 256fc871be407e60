import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { RequiresApiKey } from '../auth/requires-api-key.decorator';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiError } from '../http/api-error';
import { markStreamFailed } from '../metrics/http-metrics.hooks';
import { KeyValueService, randomToken } from './key-value.service';
import { parseDeleteKey, parseListQuery } from './list-query';
import { WriteBodyPipe, WriteRequest } from './write-body.pipe';

const ANSWER_BUFFER = 64 * 1024;

@Controller()
export class KeyValueController {
  constructor(
    private readonly kv: KeyValueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  hello(): Promise<string> {
    return this.kv.hello();
  }

  @Post('write')
  @HttpCode(HttpStatus.OK)
  @RequiresApiKey()
  async write(@Body(WriteBodyPipe) body: WriteRequest): Promise<{ message: string; key: string; value: string }> {
    const { key, value } = body ?? { key: randomToken(), value: randomToken() };
    await this.kv.write(key, value);
    return { message: 'Key-Value pair added', key, value };
  }

  @Delete('delete')
  @RequiresApiKey()
  async delete(@Query('key') raw: unknown): Promise<{ message: string }> {
    const key = parseDeleteKey(raw);
    if (!(await this.kv.delete(key))) throw new ApiError(HttpStatus.NOT_FOUND, `Key ${key} not found`);
    return { message: `Key ${key} deleted` };
  }

  @Get('list')
  @RequiresApiKey()
  @Header('Content-Type', 'application/json; charset=utf-8')
  async list(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | Readable> {
    const parsed = parseListQuery(query, this.config.limits.listMaxCount);
    const pieces = parsed.mode === 'page' ? this.kv.page(this.kv.parseCursor(parsed.cursor), parsed.count) : this.kv.streamAll();
    // The first 64 KiB are read before answering, a whole page or a small store's listing in
    // one write: Redis failing before then is a clean 503, and a failure after it aborts the
    // stream, so that no 200 looks complete when it is not.
    const head: string[] = [];
    let size = 0;
    let item: IteratorResult<string>;
    do {
      item = await pieces.next();
      if (!item.done) {
        head.push(item.value);
        size += item.value.length;
      }
    } while (!item.done && size < ANSWER_BUFFER);
    if (item.done) return head.join('');
    const stream = Readable.from(replay(head, pieces), { objectMode: false });
    stream.once('error', (error) => {
      markStreamFailed(reply.raw);
      request.log.warn({ reqId: request.id, err: error.message }, 'listing aborted after its first bytes');
    });
    return stream;
  }
}

async function* replay(head: string[], rest: AsyncGenerator<string>): AsyncGenerator<string> {
  yield head.join('');
  yield* rest;
}
