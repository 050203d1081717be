// Where a connection's key comes from, in words. The backend says which source (never the key);
// the switch has no `default`, so a source added in Rust is a type error here until it is worded.
import type { Connection } from "../../ipc";

export function describeKeySource(c: Pick<Connection, "keySource" | "kind">): string {
  const source = c.keySource;
  switch (source.kind) {
    case "vault":
      return `vault key “${source.label}” (${source.environment})`;
    case "sandbox":
      return "the Sandbox's simulated key";
    case "environmentVariable":
      return "ANYINT_API_KEY";
    case "missing":
      return c.kind === "sandbox" ? "nowhere: the Sandbox is not running" : "nowhere: bind a key in Keys (or let the connection use ANYINT_API_KEY)";
  }
}
