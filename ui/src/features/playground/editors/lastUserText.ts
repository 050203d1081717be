// The prompt of a request: the text of the last user message that has any, for history search
// and conversation titles. A user turn of only tool results or only images says nothing to
// search for, so the search goes back to the question that led to it.
import type { ChatFamily } from "./family";
import { isObj, isStr } from "./json";

/** Text parts of a content array, joined by line breaks; `kinds` are the part types that count. */
function textOf(content: unknown, kinds: readonly string[]): string {
  if (isStr(content)) return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((p): p is { text: string } => isObj(p) && (kinds.includes(p.type as string) || (kinds.includes("") && !("type" in p))) && isStr(p.text))
    .map((p) => p.text)
    .join("\n");
}

function lastText(items: unknown, isUser: (m: Record<string, unknown>) => boolean, text: (m: Record<string, unknown>) => string): string {
  if (!Array.isArray(items)) return "";
  for (let i = items.length - 1; i >= 0; i--) {
    const m: unknown = items[i];
    if (!isObj(m) || !isUser(m)) continue;
    const t = text(m).trim();
    if (t !== "") return t;
  }
  return "";
}

export function promptOf(family: ChatFamily, body: unknown): string {
  if (!isObj(body)) return "";
  switch (family) {
    case "openai_chat":
      return lastText(body.messages, (m) => m.role === "user", (m) => textOf(m.content, ["text"]));
    case "anthropic":
      return lastText(body.messages, (m) => m.role === "user", (m) => textOf(m.content, ["text"]));
    case "openai_responses":
      if (isStr(body.input)) return body.input.trim();
      return lastText(
        body.input,
        (m) => m.role === "user" && (!("type" in m) || m.type === "message"),
        (m) => textOf(m.content, ["input_text"]),
      );
    case "gemini":
      // A content without a role is the user's, as the API reads it.
      return lastText(body.contents, (c) => c.role === "user" || !("role" in c), (c) => textOf(c.parts, [""]));
  }
}
