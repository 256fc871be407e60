import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownState } from '../lifecycle/shutdown-state';

/** Turns readiness off as soon as SIGTERM arrives, so endpoints drop the pod before it stops. */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  check(key: string): HealthIndicatorResult {
    const check = this.indicator.check(key);
    return this.shutdown.isDraining ? check.down({ message: 'shutting down' }) : check.up();
  }
}
