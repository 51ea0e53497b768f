import { pino } from 'pino';

/** JSON logs on stdout. Secrets are redacted wherever they might appear. */
export function createLogger(level: string, destination: 1 | 2 = 1) {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-hub-signature-256"]',
          'apiKey',
          '*.apiKey',
          '*.accessToken',
          '*.appSecret',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: destination, sync: true }),
  );
}
export type AppLogger = ReturnType<typeof createLogger>;
