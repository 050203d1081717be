// The role a new turn takes in the editors' "Add message" / "Add turn": it answers the last one.
import type { RawItem } from "./toolDecl";

/** After a user turn comes `reply` (the assistant, the model); after anything else, the user. */
export function nextRole<R extends string>(items: readonly ({ role: R } | RawItem)[], reply: R): R | "user" {
  const last = items[items.length - 1];
  return last && "role" in last && last.role === "user" ? reply : "user";
}
