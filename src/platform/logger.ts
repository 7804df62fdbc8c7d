import { type Logger, type LoggerOptions, pino } from 'pino';

/** One logger shape for every role; credentials are redacted wherever they appear in a logged request. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  };
}

export const createLogger = (level: string): Logger => pino(loggerOptions(level));
