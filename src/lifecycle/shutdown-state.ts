import { Injectable } from '@nestjs/common';

/** Set once SIGTERM arrives; readiness and keep-alive handling read it. */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }
}
