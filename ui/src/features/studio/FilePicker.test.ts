// The file picker beside a URL field that takes a local file (issue 9 part 5), as a user drives
// it: a native file input (keyboard reachable) next to the URL box; the chosen file goes to the
// core (task_input_file) and the body carries its reference; the length limit follows the model
// (V4_5ALL: 1 minute); "Use a URL instead" gives the URL box back; a file too large for the
// field is refused before it is read.
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { $, choose, openStudio, pickRoute, text, type } from "./studioTesting";

/** A mono 8-bit WAV of `seconds` of silence at 2 kHz. */
function wav(seconds: number): Uint8Array<ArrayBuffer> {
  const rate = 2000;
  const data = rate * seconds;
  const bytes = new Uint8Array(44 + data).fill(128, 44);
  const v = new DataView(bytes.buffer);
  bytes.set([..."RIFF"].map((c) => c.charCodeAt(0)), 0);
  v.setUint32(4, 36 + data, true);
  bytes.set([..."WAVEfmt "].map((c) => c.charCodeAt(0)), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate, true);
  v.setUint16(32, 1, true);
  v.setUint16(34, 8, true);
  bytes.set([..."data"].map((c) => c.charCodeAt(0)), 36);
  v.setUint32(40, data, true);
  return bytes;
}

async function pickFile(sel: string, file: File): Promise<void> {
  const input = $<HTMLInputElement>(sel)!;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  await fireEvent.change(input);
}

describe("a studio field that takes a local file", () => {
  it("offers a picker beside the URL box, sends the file's reference and checks its length per model", async () => {
    const fake = await openStudio("music");
    await pickRoute("suno.upload_cover");
    const picker = $<HTMLInputElement>("#sf-uploadUrl-file")!;
    expect(picker.type).toBe("file");
    expect(picker.tabIndex).not.toBe(-1);
    expect(picker.accept.split(",")).toContain("audio/mpeg");
    expect(document.querySelector(`label[for="sf-uploadUrl-file"]`)).not.toBeNull();
    expect(text("#sf-uploadUrl-file-help")).toContain("uploaded to the gateway's file route first");

    await pickFile("#sf-uploadUrl-file", new File([wav(70)], "demo take.wav", { type: "audio/wav" }));
    await waitFor(() => expect($("#sf-uploadUrl-chosen")).not.toBeNull());
    expect(text("#sf-uploadUrl-chosen")).toContain("demo take.wav · 136.8 KiB · 1:10");
    expect(fake.callsTo("task_input_file")).toHaveLength(1);
    expect($<HTMLInputElement>("#sf-uploadUrl")!.disabled).toBe(true);

    await choose("#sf-model", "V4_5ALL");
    expect(text("#sf-uploadUrl-problem")).toBe(
      "Source audio: `demo take.wav` is 1:10 long; at most 1:00 with this model",
    );
    await choose("#sf-model", "V5");
    expect($("#sf-uploadUrl-problem")).toBeNull();

    await type("#sf-prompt", "a slow piano cover");
    await type("#sf-callBackUrl", "https://hooks.example.com/suno");
    await fireEvent.click($("#studio-submit")!);
    await waitFor(() => expect(fake.callsTo("task_submit")).toHaveLength(1));
    const body = fake.callsTo("task_submit")[0]!.args.submit.body as Record<string, unknown>;
    const kept = [...fake.taskCenter.inputFiles.values()][0]!.ref;
    expect(body.uploadUrl).toEqual({ $file: kept });
    expect(kept.size).toBe(44 + 140_000);
  });

  it("gives the URL box back, and refuses a file too large before reading it", async () => {
    const fake = await openStudio("music");
    await pickRoute("suno.upload_cover");
    await pickFile("#sf-uploadUrl-file", new File([wav(3)], "short.wav", { type: "audio/wav" }));
    await waitFor(() => expect($("#sf-uploadUrl-chosen")).not.toBeNull());
    await fireEvent.click($("#sf-uploadUrl-chosen button")!);
    expect($("#sf-uploadUrl-chosen")).toBeNull();
    const url = $<HTMLInputElement>("#sf-uploadUrl")!;
    expect(url.disabled).toBe(false);
    expect(url.value).toBe("");

    const huge = new File([new Uint8Array(8)], "huge.wav", { type: "audio/wav" });
    Object.defineProperty(huge, "size", { value: 101 * 1024 * 1024 });
    await pickFile("#sf-uploadUrl-file", huge);
    expect(text("#sf-uploadUrl-file-problem")).toBe("`huge.wav` is 101.0 MiB; at most 100.0 MiB here");
    expect(fake.callsTo("task_input_file")).toHaveLength(1);
  });
});
