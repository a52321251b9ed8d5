import "aws-sdk-client-mock-vitest/extend";
import { useTestNetwork } from "./outboundTestNetwork";

// No test resolves a real name or connects beyond loopback through the outbound-URL policy.
useTestNetwork();
