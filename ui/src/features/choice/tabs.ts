// The Choice screen's tabs, in order. Another tab (Compare, Advisor) is one more entry here:
// its component gets the screen's props and may ignore them.
import type { Component } from "svelte";
import type { ChoiceStore } from "./choice.svelte";
import FallbackLogTab from "./FallbackLogTab.svelte";
import UsageTab from "./UsageTab.svelte";
import WorkloadsTab from "./WorkloadsTab.svelte";

export interface ChoiceTabProps {
  store: ChoiceStore;
  /** The active connection's model IDs, offered in model fields (free text is allowed). */
  models: string[];
}

export interface ChoiceTab {
  /** DOM ids: #choice-tab-<id>, #choice-panel-<id>. */
  id: string;
  label: string;
  component: Component<ChoiceTabProps>;
}

export const CHOICE_TABS: readonly ChoiceTab[] = [
  { id: "workloads", label: "Workloads", component: WorkloadsTab },
  { id: "usage", label: "Usage", component: UsageTab },
  { id: "fallback-log", label: "Fallback log", component: FallbackLogTab },
];
