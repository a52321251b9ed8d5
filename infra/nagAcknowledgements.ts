import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * cdk-nag names an IAM5 finding after the wildcard resource as it appears in the template, with intrinsics
 * written `<LogicalId.Arn>`, `<AWS::Partition>`; this writes a resource token the same way, so a construct
 * can acknowledge exactly the wildcard it grants and nothing else.
 */
export function nagResource(scope: IConstruct, resource: string): string {
  return describe(Stack.of(scope).resolve(resource));
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object") {
    const intrinsic = value as Record<string, unknown>;
    if (Array.isArray(intrinsic["Fn::Join"])) {
      const [separator, parts] = intrinsic["Fn::Join"] as [string, unknown[]];
      return parts.map(describe).join(separator);
    }
    if (Array.isArray(intrinsic["Fn::GetAtt"])) return `<${(intrinsic["Fn::GetAtt"] as string[]).join(".")}>`;
    if (typeof intrinsic.Ref === "string") return `<${intrinsic.Ref}>`;
  }
  return JSON.stringify(value);
}

/** Acknowledges one cdk-nag finding on a construct (and its children), with the reason a reviewer reads. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Acknowledges the IAM5 finding for one wildcard resource granted to the construct. */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagResource(scope, resource)}]`, reason);
}
