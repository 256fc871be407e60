import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { parseApiKeys } from '../config/environment';
import { LOGGER } from '../logging/logging.module';

// Mounted Secrets change in place when rotated; re-reading often is cheap.
const RELOAD_INTERVAL_MS = 30_000;

// RFC 6750 credentials: the scheme in any case, exactly one space, one token without whitespace.
// Nothing else: "Bearer k1 k2" is not "a key and some noise".
const BEARER = /^bearer (\S+)$/i;
export const UNAUTHORISED_MESSAGE = 'Missing or invalid API key: send "Authorization: Bearer <key>"';

/** The accepted API keys, from API_KEYS or from API_KEYS_FILE (one per line, reloaded). */
@Injectable()
export class ApiKeys implements OnModuleDestroy {
  private keys: Buffer[] = [];
  private readonly timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.load();
    if (config.auth.keysFile) {
      this.timer = setInterval(() => this.load(), RELOAD_INTERVAL_MS).unref();
    }
    if (!this.enabled) {
      this.logger.warn('no API keys configured: /write, /delete and /list are open to anyone who can reach the service');
    }
  }

  get enabled(): boolean {
    return this.keys.length > 0 || this.config.auth.keysFile !== undefined;
  }

  /** True for "Authorization: Bearer <an accepted key>", or for anything when no key is configured. */
  authorises(header: string | undefined): boolean {
    if (!this.enabled) return true;
    const token = BEARER.exec(header ?? '')?.[1];
    return token !== undefined && this.accepts(token);
  }

  /**
   * Compares in constant time, always against every key. A candidate of another length is
   * compared with itself, so the work done does not tell which keys have its length. No hash:
   * SHA-256 per request was 4% of the CPU of POST /write (docs/performance.md).
   */
  accepts(candidate: string): boolean {
    const presented = Buffer.from(candidate, 'utf8');
    let match = false;
    for (const key of this.keys) {
      const sameLength = presented.length === key.length;
      const equal = timingSafeEqual(presented, sameLength ? key : presented);
      match = (equal && sameLength) || match;
    }
    return match;
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private load(): void {
    const file = this.config.auth.keysFile;
    // API_KEYS was parsed, and checked to hold a key, with the configuration.
    if (!file) {
      this.keys = (this.config.auth.keys ?? []).map((key) => Buffer.from(key, 'utf8'));
      return;
    }
    // Keep the previous keys when the file cannot be read or holds none (a Secret being rewritten):
    // failing open, or locking everyone out, on a transient state is worse.
    try {
      const keys = parseApiKeys(readFileSync(file, 'utf8'), '\n');
      if (keys.length === 0) {
        this.logger.error({ file }, 'API_KEYS_FILE holds no key; keeping the previous set');
        return;
      }
      this.keys = keys.map((key) => Buffer.from(key, 'utf8'));
    } catch (error) {
      this.logger.error({ file, err: (error as Error).message }, 'cannot reload API keys; keeping the previous set');
    }
  }
}
