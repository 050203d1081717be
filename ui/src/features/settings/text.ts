// Words for the Settings screen that depend on the backend's values.
import type { ProxyMode, Step, StepReport } from "../../ipc";

export const PROXY_MODES: { value: ProxyMode; label: string }[] = [
  { value: "system", label: "System proxy settings" },
  { value: "environment", label: "Environment variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)" },
  { value: "manual", label: "Manual proxy" },
  { value: "direct", label: "No proxy (direct)" },
];

export const STEP_NAMES: Record<Step, string> = {
  dns: "DNS",
  tcp: "TCP",
  proxy: "Proxy",
  tls: "TLS",
  http: "HTTP",
};

/** The heading for a failed step: a 407 is named as the proxy's authentication. */
export function failureTitle(step: StepReport): string {
  if (step.step === "proxy" && step.httpStatus === 407) return "Proxy authentication failed";
  if (step.step === "proxy" && /authentication/.test(step.detail)) return "Proxy authentication failed";
  return `${STEP_NAMES[step.step]} failed`;
}

/** The no-proxy list as the textarea shows it (one entry a line) and back. */
export function noProxyText(list: string[]): string {
  return list.join("\n");
}

export function noProxyList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((e) => e.trim())
    .filter(Boolean);
}
