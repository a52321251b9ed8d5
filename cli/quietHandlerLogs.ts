// Imported first by the CLI: the handlers' JSON logs are for CloudWatch, while the CLI prints its own
// progress. Set POWERTOOLS_LOG_LEVEL=INFO to see them anyway.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
