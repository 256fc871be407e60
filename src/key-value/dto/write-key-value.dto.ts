import { IsDefined, IsNotEmpty, IsString, ValidateIf } from 'class-validator';

export const REQUIRED_MESSAGE = 'Both "key" and "value" are required';

export class WriteKeyValueDto {
  @IsDefined({ message: REQUIRED_MESSAGE })
  @IsString({ message: '"key" must be a string' })
  @IsNotEmpty({ message: REQUIRED_MESSAGE })
  key!: string;

  // Reported once: a missing key already says both are required.
  @ValidateIf((dto: WriteKeyValueDto) => dto.key !== undefined && dto.key !== null && dto.key !== '')
  @IsDefined({ message: REQUIRED_MESSAGE })
  @IsString({ message: '"value" must be a string' })
  @IsNotEmpty({ message: REQUIRED_MESSAGE })
  value!: string;
}
