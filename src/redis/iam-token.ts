import type { Logger } from 'pino';

const TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';
// Refresh well before expiry; a failed refresh is retried soon, the current token staying in use.
const REFRESH_MARGIN_S = 300;
const RETRY_DELAY_MS = 10_000;
const FETCH_TIMEOUT_MS = 3000;

export interface AccessToken {
  value: string;
  expiresInSeconds: number;
}

/**
 * Access tokens of the pod's Google service account, from the GKE metadata
 * server (Workload Identity). Memorystore checks the token only when a
 * connection authenticates, so new connections need a fresh one and
 * existing connections stay valid after it expires.
 */
export class IamTokenSource {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly metadataHost: string,
    private readonly logger: Logger,
  ) {}

  async fetch(): Promise<AccessToken> {
    const url = `http://${this.metadataHost}${TOKEN_PATH}`;
    const res = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`metadata server answered ${res.status} for ${url}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new Error(`metadata server returned no access token at ${url}`);
    }
    return { value: body.access_token, expiresInSeconds: body.expires_in };
  }

  /** Calls onToken with each new token, before the previous one expires, until stop(). */
  keepFresh(current: AccessToken, onToken: (token: string) => void): void {
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => void refresh(), ms).unref();
    };
    const refresh = async () => {
      try {
        const token = await this.fetch();
        onToken(token.value);
        schedule(Math.max(1, token.expiresInSeconds - REFRESH_MARGIN_S) * 1000);
      } catch (error) {
        this.logger.error({ err: (error as Error).message }, 'cannot refresh the Redis IAM token; retrying');
        schedule(RETRY_DELAY_MS);
      }
    };
    schedule(Math.max(1, current.expiresInSeconds - REFRESH_MARGIN_S) * 1000);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
