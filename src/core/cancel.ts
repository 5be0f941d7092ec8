/**
 * Clean-up on Ctrl-C / SIGTERM. Core code registers what must be undone (a temp file to remove,
 * processes to stop) while it works; main.ts runs the handlers before exiting with code 2.
 * A supervisor (`lock run`) can instead take the signals over for a while: main.ts then hands
 * each one to it and neither cancels nor exits.
 */
type Handler = () => Promise<void> | void;
const handlers = new Set<Handler>();

export function onCancel(handler: Handler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

export async function runCancelHandlers(): Promise<void> {
  for (const h of [...handlers].reverse()) {
    try {
      await h();
    } catch {
      // Best effort: one failing clean-up must not stop the others.
    }
  }
  handlers.clear();
}

type SignalOwner = (signal: NodeJS.Signals) => void;
let owner: SignalOwner | undefined;

/** Route SIGINT/SIGTERM to `handler` instead of cancelling, until the returned function is called. */
export function takeOverSignals(handler: SignalOwner): () => void {
  owner = handler;
  return () => {
    if (owner === handler) owner = undefined;
  };
}

/** The current owner of SIGINT/SIGTERM, if a supervisor took them over (read by main.ts). */
export function signalOwner(): SignalOwner | undefined {
  return owner;
}
