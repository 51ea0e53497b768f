import { type DestinationStream, pino } from 'pino';

/**
 * JSON logs on stdout. Secrets are redacted wherever they might appear. Tests may pass a stream to read
 * what would have been printed.
 */
export function createLogger(level: string, destination: 1 | 2 | DestinationStream = 1) {
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
          // The first start's one-time owner setup code (POST /api/auth/setup's body).
          'setupCode',
          '*.setupCode',
          // Stored credentials (src/http): Bitrix24 and Slack webhook URLs are secrets themselves.
          '*.webhookUrl',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    typeof destination === 'number' ? pino.destination({ dest: destination, sync: true }) : destination,
  );
}
export type AppLogger = ReturnType<typeof createLogger>;
