// The chat families, in the backend's words (`chat::ChatFamily`, history's `family` column),
// and the id prefix each editor gives its DOM elements.

export type ChatFamily = "openai_chat" | "openai_responses" | "anthropic" | "gemini";

export const FAMILIES: readonly ChatFamily[] = ["openai_chat", "openai_responses", "anthropic", "gemini"];

export const PREFIX: Record<ChatFamily, string> = {
  openai_chat: "oa",
  openai_responses: "rs",
  anthropic: "an",
  gemini: "ge",
};

/** A model in the picker; `displayName` is shown beside the id when the gateway gave one. */
export interface ModelChoice {
  id: string;
  displayName: string | null;
}
