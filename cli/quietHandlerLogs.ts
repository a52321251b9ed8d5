// Imported first by the CLI: the handlers' JSON logs are for CloudWatch, while the CLI prints its own
// progress. Set POWERTOOLS_LOG_LEVEL=INFO to see them anyway.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
// Metrics are embedded-metric-format lines for CloudWatch; on this machine they would only be noise.
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";

// The AWS SDK warns once per process that Node.js 20 support ends in 2027. A CLI user can do nothing about
// it mid-run; the README states the Node.js versions. Every other warning still prints.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === "string" ? warning : warning.message;
  if (text.includes("will require node >=22")) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
