import { connectorOf } from "../functions/providers/connectors";
import type { Provider } from "../functions/providers/registry";
import type { Simulators } from "../local/providerConnections";

/** The CLI's demo switches: transient faults the run must survive, or a failure it must report. */
export function armSimulators(
  simulators: Simulators,
  provider: Provider,
  switches: { faults?: boolean; fail?: boolean },
) {
  const simulator = simulators[provider];
  if (!simulator) return;
  simulator.server.faults.clear();
  if (switches.faults)
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 1 }).unavailable({ times: 2 });
  if (switches.fail) {
    connectorOf(provider).armFailure(simulator, "the simulator was told to fail this job (--fail)");
  }
}
