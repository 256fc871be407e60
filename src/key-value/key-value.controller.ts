import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiError } from '../http/api-error';
import { KeyValueService, ListPage, randomToken } from './key-value.service';
import { parseDeleteKey, parseListQuery } from './list-query';
import { WriteBodyPipe, WriteRequest } from './write-body.pipe';

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
  @UseGuards(ApiKeyGuard)
  async write(@Body(WriteBodyPipe) body: WriteRequest): Promise<{ message: string; key: string; value: string }> {
    const { key, value } = body ?? { key: randomToken(), value: randomToken() };
    await this.kv.write(key, value);
    return { message: 'Key-Value pair added', key, value };
  }

  @Delete('delete')
  @UseGuards(ApiKeyGuard)
  async delete(@Query('key') raw: unknown): Promise<{ message: string }> {
    const key = parseDeleteKey(raw);
    if (!(await this.kv.delete(key))) throw new ApiError(HttpStatus.NOT_FOUND, `Key ${key} not found`);
    return { message: `Key ${key} deleted` };
  }

  @Get('list')
  @UseGuards(ApiKeyGuard)
  @Header('Content-Type', 'application/json; charset=utf-8')
  async list(@Query() query: Record<string, unknown>): Promise<ListPage | Readable> {
    const request = parseListQuery(query, this.config.limits.listMaxCount);
    if (request.mode === 'page') return this.kv.page(request.cursor, request.count);
    const pieces = this.kv.streamAll();
    // Read the first batch before answering, so that Redis being down is a clean 503, not a cut stream.
    const opening = await pieces.next();
    const second = await pieces.next();
    return Readable.from(replay([opening, second], pieces), { objectMode: false });
  }
}

async function* replay(
  ready: IteratorResult<string>[],
  rest: AsyncGenerator<string>,
): AsyncGenerator<string> {
  for (const item of ready) {
    if (item.done) return;
    yield item.value;
  }
  yield* rest;
}
