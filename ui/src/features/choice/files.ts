// Copy to the clipboard and save as a file, for exports the backend hands over as text (the
// workloads, the usage CSV). The file is a download of a Blob: the CSP allows it (no inline
// script, no new origin), and the webview saves it where downloads go.
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard in this webview or permission refused: the caller says so; the text stays
    // on screen to be selected by hand.
    return false;
  }
}

export function saveText(filename: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
