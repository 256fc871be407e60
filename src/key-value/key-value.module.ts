import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KeyValueController } from './key-value.controller';
import { KeyValueService } from './key-value.service';
import { WriteBodyPipe } from './write-body.pipe';

@Module({
  imports: [AuthModule],
  controllers: [KeyValueController],
  providers: [KeyValueService, WriteBodyPipe],
})
export class KeyValueModule {}
