import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeys } from './api-keys';

@Module({ providers: [ApiKeys, ApiKeyGuard], exports: [ApiKeys, ApiKeyGuard] })
export class AuthModule {}
