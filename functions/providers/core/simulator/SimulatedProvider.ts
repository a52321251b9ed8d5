import type { SimulatorServer } from "./SimulatorServer";

/**
 * What every provider simulator offers besides its own routes: starting and stopping its server, and
 * waiting for the work its routes leave running. `server` holds the fault switches and the request log.
 */
export abstract class SimulatedProvider {
  abstract readonly server: SimulatorServer;

  /** Starts listening on 127.0.0.1 (port 0 picks a free one) and returns the base URL to give a client. */
  start(port = 0): Promise<string> {
    return this.server.start(port);
  }

  /** Ends the background work (cancels timers, aborts fetches, waits for the rest), then stops listening. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Resolves once every piece of background work started so far (sources read, webhooks sent) has settled. */
  idle(): Promise<void> {
    return this.server.work.idle();
  }
}
