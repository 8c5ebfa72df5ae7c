/** The logging the DIMSE front end needs: pino's shape, so the server's logger fits. No patient data. */
export interface DimseLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export const silentDimseLogger: DimseLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
