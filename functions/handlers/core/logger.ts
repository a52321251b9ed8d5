import { Logger } from "@aws-lambda-powertools/logger";
import { RECORD_CAPS, redactingReplacer } from "../../providers/core/redactRecord";

/**
 * The one structured logger of every handler; the service name groups their lines. Every string of every
 * line (message, attributes, an error's message, stack and causes) passes the redaction step on its way
 * out and is capped, so neither a credential nor a 5 MiB body reaches CloudWatch.
 */
export const logger = new Logger({
  serviceName: "vidstep",
  jsonReplacerFn: redactingReplacer(RECORD_CAPS),
});
