import { HttpException } from '@nestjs/common';

/** An error whose message is written to the client as {"error": message}. */
export class ApiError extends HttpException {
  constructor(status: number, message: string) {
    super({ error: message }, status);
  }
}
