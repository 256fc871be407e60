// String.prototype.isWellFormed (Node 20+); the project's lib is ES2023.
/// <reference lib="es2024.string" />
import { HttpStatus, Inject, Injectable, PipeTransform } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiError } from '../http/api-error';
import { REQUIRED_MESSAGE, WriteKeyValueDto } from './dto/write-key-value.dto';

/** null means "no payload": the original API then writes a random pair. */
export type WriteRequest = WriteKeyValueDto | null;

@Injectable()
export class WriteBodyPipe implements PipeTransform<unknown, WriteRequest> {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  transform(body: unknown): WriteRequest {
    if (body === undefined || body === null) return null;
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'Request body must be a JSON object');
    }
    const { key, value } = body as Record<string, unknown>;
    const dto = Object.assign(new WriteKeyValueDto(), { key, value });
    // Two non-empty strings meet every rule of the DTO: class-validator runs only to word a rejection.
    const plainlyValid = typeof key === 'string' && key !== '' && typeof value === 'string' && value !== '';
    const [first] = plainlyValid ? [] : validateSync(dto, { stopAtFirstError: true });
    if (first) {
      const messages = Object.values(first.constraints ?? {});
      throw new ApiError(HttpStatus.BAD_REQUEST, messages[0] ?? REQUIRED_MESSAGE);
    }
    // The body is valid UTF-8 (the JSON parser checks), but a "\ud800" escape still decodes to a
    // lone surrogate, which Redis would receive as U+FFFD: refuse it rather than store another string.
    this.checkWellFormed('key', dto.key);
    this.checkWellFormed('value', dto.value);
    this.checkSize('Key', dto.key, this.config.limits.maxKeyBytes);
    this.checkSize('Value', dto.value, this.config.limits.maxValueBytes);
    return dto;
  }

  private checkWellFormed(name: string, text: string): void {
    if (!text.isWellFormed()) {
      throw new ApiError(HttpStatus.BAD_REQUEST, `"${name}" is not well-formed Unicode: it holds a lone surrogate`);
    }
  }

  private checkSize(name: string, text: string, limit: number): void {
    // Cheap bound first: a UTF-8 string is at most 3 bytes per UTF-16 unit.
    if (text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit) {
      throw new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, `${name} exceeds the limit of ${limit} bytes`);
    }
  }
}
