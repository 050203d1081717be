import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";

// Start-up marks (with App's "first-commands", "first-data" and "first-screen-interactive"):
// where the page's part of the start goes, for a probe over WebDriver to read. Imports run
// first, so this one is "the bundle has loaded and run its module code".
performance.mark("modules-evaluated");

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

const app = mount(App, { target });
performance.mark("mounted");
export default app;
