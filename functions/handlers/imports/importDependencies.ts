import { S3Client } from "@aws-sdk/client-s3";

/** What every batch import step needs: the bucket's client (the bucket itself comes in the event). */
export interface ImportDependencies {
  s3: S3Client;
}

/** Builds the batch import steps' client from the Lambda environment. */
export async function importDependenciesFromEnvironment(): Promise<ImportDependencies> {
  return { s3: new S3Client({}) };
}
