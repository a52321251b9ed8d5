import { Logger } from "@aws-lambda-powertools/logger";

/** The one structured logger of every handler; the service name groups their lines. */
export const logger = new Logger({ serviceName: "vidstep" });
