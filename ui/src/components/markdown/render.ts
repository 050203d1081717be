// Markdown block → sanitised DOM. Model output is untrusted: marked turns it into HTML (raw HTML
// in the markdown passes straight through marked), so DOMPurify decides what survives, and a few
// hooks enforce what the app's CSP and privacy rules need on top of DOMPurify's defaults:
// no style attributes, no element that could fetch a URL, no link that navigates the webview.
import DOMPurify, { type Config } from "dompurify";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import go from "highlight.js/lib/languages/go";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { Marked, type Token, type Tokens } from "marked";

// Only the languages answers commonly contain: the full highlight.js bundle is ~10x larger.
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("css", css);
hljs.registerLanguage("go", go);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("markdown", markdown);
hljs.registerLanguage("python", python);
hljs.registerLanguage("rust", rust);
hljs.registerLanguage("sql", sql);
hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("xml", xml);
hljs.registerLanguage("yaml", yaml);
hljs.registerAliases(["shell", "console", "sh", "zsh"], { languageName: "bash" });
hljs.registerAliases(["jsonc", "json5"], { languageName: "json" });

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The fence's first word, lower-cased, kept only if it is a plain identifier. */
function fenceLanguage(lang: string | undefined): string {
  const word = (lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  return /^[a-z0-9_+#.-]{1,32}$/.test(word) ? word : "";
}

export const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      return `<pre><code class="${codeClass(lang)}">${highlightCode(text, lang)}</code></pre>\n`;
    },
  },
});

/** The class of a fenced block's <code> element. */
export function codeClass(lang: string | undefined): string {
  const language = fenceLanguage(lang);
  return language ? `hljs language-${language}` : "hljs";
}

/** A fenced block's code as highlighted (or escaped) HTML, to be sanitised. */
export function highlightCode(text: string, lang: string | undefined): string {
  const language = fenceLanguage(lang);
  const known = language !== "" && hljs.getLanguage(language) !== undefined;
  // No auto-detection for unlabelled fences: it runs every grammar over the block, every
  // frame while that block streams, for a guess that is often wrong.
  return known ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escapeHtml(text);
}

/** Images may only come from inside the app: inline data or the asset protocol (artifacts). */
export function isLocalImage(src: string): boolean {
  return /^data:image\//i.test(src) || /^asset:\/\/localhost\//i.test(src) || /^https?:\/\/asset\.localhost\//i.test(src);
}

// highlight.js scopes (`hljs-keyword`, `hljs-title function_`) and fence languages; any other
// class from model HTML is dropped so it cannot borrow the app's own styles (chips, banners).
const ALLOWED_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|[a-z]+_+)$/;

const purify = DOMPurify(window);

purify.addHook("uponSanitizeAttribute", (_node, data) => {
  if (data.attrName !== "class") return;
  const kept = data.attrValue.split(/\s+/).filter((c) => ALLOWED_CLASS.test(c));
  if (kept.length === 0) data.keepAttr = false;
  else data.attrValue = kept.join(" ");
});

// Runs while the nodes still live in DOMPurify's inert document, where an <img> does not load:
// a remote src must be gone before the fragment is adopted by the page, or the browser would
// start fetching it (CSP would refuse, but the attempt alone can reveal that the user read it).
purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "IMG") {
    const src = node.getAttribute("src") ?? "";
    if (!isLocalImage(src)) {
      node.removeAttribute("src");
      node.setAttribute("data-md-blocked", src);
    }
  } else if (node.tagName === "A") {
    const href = node.getAttribute("href");
    node.removeAttribute("href");
    node.removeAttribute("target");
    if (href) node.setAttribute("data-md-href", href);
  }
});

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  RETURN_DOM_FRAGMENT: true,
  // HTML only: no SVG or MathML, whose namespaces are where sanitiser bypasses live.
  USE_PROFILES: { html: true },
  // Anything that fetches, submits, takes focus or overlays the app.
  FORBID_TAGS: [
    "style", "link", "meta", "base", "form", "input", "button", "textarea", "select", "option",
    "optgroup", "datalist", "video", "audio", "source", "track", "picture", "area", "map", "dialog",
  ],
  // `style` would be blocked by the CSP anyway and could restyle the app; ids and names could
  // collide with the app's own ids; `background` makes WebKit fetch a table background image.
  FORBID_ATTR: ["style", "id", "name", "srcset", "background", "tabindex", "autofocus", "accesskey", "contenteditable", "popover"],
  ALLOW_DATA_ATTR: false,
  // The default list plus asset:, which is how the app shows artifacts.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|tel|asset):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

// DOMPurify fails open in a DOM it does not support (under happy-dom it drops every tag name,
// keeps <script> and onerror=). Check once that it really sanitises here; if it does not,
// answers are shown as plain text instead of trusting its output. The probe has no style= or
// on*= attribute: parsing one reports a (harmless, blocked) CSP violation in the console.
function sanitiserWorks(): boolean {
  try {
    const probe = purify.sanitize('<p title="t" data-x="1">a<script>z</script><iframe></iframe><b>b</b></p>', CONFIG);
    return probe.querySelector("p[title] > b") !== null && probe.querySelector("script, iframe, [data-x]") === null;
  } catch {
    return false;
  }
}
const SANITISER_OK = sanitiserWorks();
/** False where answers are shown as plain text (the sanitiser does not work here). */
export const sanitiserOk = SANITISER_OK;
if (!SANITISER_OK) console.error("Markdown: the HTML sanitiser does not work in this environment; showing answers as plain text.");

/** Sanitise HTML from one markdown block into a fragment ready to be put in the page. */
export function sanitise(html: string): DocumentFragment {
  const fragment = purify.sanitize(html, CONFIG);
  finish(fragment);
  return fragment;
}

/** Our own markup, added after sanitising (so DOMPurify's rules do not apply to it). */
function finish(fragment: DocumentFragment): void {
  const doc = fragment.ownerDocument;
  for (const a of fragment.querySelectorAll("a")) {
    // Links open nothing inside the app: the text stays, the address is shown beside it. A link
    // whose address the sanitiser refused (javascript: and the like) becomes plain text.
    const href = a.getAttribute("data-md-href");
    if (!href) {
      a.replaceWith(...a.childNodes);
      continue;
    }
    const span = doc.createElement("span");
    span.className = "md-link";
    span.append(...a.childNodes);
    const parts: Node[] = [span];
    if (href !== span.textContent && `mailto:${span.textContent ?? ""}` !== href) {
      const url = doc.createElement("span");
      url.className = "md-link-url";
      url.textContent = ` (${href})`;
      parts.push(url);
    }
    a.replaceWith(...parts);
  }
  for (const img of fragment.querySelectorAll("img[data-md-blocked]")) {
    const note = doc.createElement("span");
    note.className = "md-image-blocked";
    const alt = img.getAttribute("alt") ?? "";
    const src = img.getAttribute("data-md-blocked") ?? "";
    note.textContent = `Image not loaded${alt ? `: ${alt}` : ""}${src ? ` (${src})` : ""}`;
    img.replaceWith(note);
  }
  for (const pre of fragment.querySelectorAll("pre")) {
    const code = pre.querySelector("code");
    const language = /(?:^|\s)language-([\w+#.-]+)/.exec(code?.className ?? "")?.[1] ?? "";
    const box = doc.createElement("div");
    box.className = "md-code";
    const bar = doc.createElement("div");
    bar.className = "md-code-bar";
    const label = doc.createElement("span");
    label.className = "md-code-lang";
    label.textContent = language || "text";
    const copy = doc.createElement("button");
    copy.type = "button";
    copy.className = "md-copy";
    copy.textContent = "Copy";
    copy.setAttribute("aria-label", `Copy ${language || "text"} code`);
    bar.append(label, copy);
    pre.replaceWith(box);
    box.append(bar, pre);
  }
}

/** Blocks that produce no output (blank lines, link definitions) get no DOM. */
export function isVisible(token: Token): boolean {
  return token.type !== "space" && token.type !== "def";
}

export function renderBlock(token: Token): DocumentFragment {
  if (!SANITISER_OK) {
    const fragment = document.createDocumentFragment();
    const p = document.createElement("p");
    p.className = "md-plain";
    p.textContent = token.raw;
    fragment.append(p);
    return fragment;
  }
  return sanitise(marked.parser([token]));
}
