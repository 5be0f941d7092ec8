/**
 * Clean-up on Ctrl-C / SIGTERM. Core code registers what must be undone (a temp file to remove,
 * processes to stop) while it works; main.ts runs the handlers before exiting with code 2.
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
