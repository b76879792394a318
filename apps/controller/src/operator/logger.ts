import { pino, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../settings/settings.js';

export type Logger = PinoLogger;

/** JSON logs on stdout, one object per line, with `nodepool`, `nodeclaim`, `pod`, `instance` keys where relevant. */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { component: 'karpenter' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
