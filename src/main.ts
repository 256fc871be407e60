import 'reflect-metadata';
import { Application, createApplication } from './application';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigError } from './config/environment';
import { createLogger } from './logging/logger';

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`kv-api: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const exit = (code: number) => {
    // Set first: when nothing else keeps the event loop alive, the process ends before the timer.
    process.exitCode = code;
    logger.flush();
    // Give the asynchronous log destination a moment to reach stdout.
    setTimeout(() => process.exit(code), 50).unref();
  };
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    exit(1);
  });

  let app: Application;
  try {
    app = await createApplication(config, logger);
    await app.listen();
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, `cannot start: ${(error as Error).message}`);
    return exit(1);
  }
  logger.info(
    { port: config.port, managementPort: config.managementPort, redisMode: config.redis.mode },
    'kv-api listening',
  );

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutdown requested');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdown.timeoutMs }, 'shutdown timed out; exiting');
      exit(1);
    }, config.shutdown.drainDelayMs + config.shutdown.timeoutMs).unref();
    app.shutdown().then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

void main();
