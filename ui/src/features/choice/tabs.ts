// The Choice screen's tabs, in order. Each component gets the screen's props and may ignore them.
import type { Component } from "svelte";
import type { ModelInfo } from "../../ipc";
import AdvisorChoiceTab from "./AdvisorChoiceTab.svelte";
import type { ChoiceStore } from "./choice.svelte";
import CompareChoiceTab from "./CompareChoiceTab.svelte";
import FallbackLogTab from "./FallbackLogTab.svelte";
import UsageTab from "./UsageTab.svelte";
import WorkloadsTab from "./WorkloadsTab.svelte";

export interface ChoiceTabProps {
  store: ChoiceStore;
  /** The active connection's model IDs, offered in model fields (free text is allowed). */
  models: string[];
  /** The same models with their metadata (Compare and Advisor show display names). */
  modelInfos: ModelInfo[];
  /** The active connection is the Sandbox (Compare then offers a fault per target). */
  sandbox: boolean;
}

export interface ChoiceTab {
  /** DOM ids: #choice-tab-<id>, #choice-panel-<id>. */
  id: string;
  label: string;
  component: Component<ChoiceTabProps>;
}

export const CHOICE_TABS: readonly ChoiceTab[] = [
  { id: "workloads", label: "Workloads", component: WorkloadsTab },
  { id: "compare", label: "Compare", component: CompareChoiceTab },
  { id: "advisor", label: "Advisor", component: AdvisorChoiceTab },
  { id: "usage", label: "Usage", component: UsageTab },
  { id: "fallback-log", label: "Fallback log", component: FallbackLogTab },
];
