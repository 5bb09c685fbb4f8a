import { pino } from "pino";

export type Logger = pino.Logger;

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/** Structured JSON logs: level, ts, msg, plus whatever context a child logger carries. */
export function createLogger(level: LogLevel = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: "msg",
    },
    destination,
  );
}
