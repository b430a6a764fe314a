import { type DetailedError, defaultOptions, type PreviousUpload, Upload } from "tus-js-client";
import { apiErrorCode, apiErrorText, formatBytes, type Messages, say } from "../../web/client/upload-text.ts";

/**
 * Sends a master from the upload page with tus: the item is made first (POST /api/v1/items),
 * then the file goes in chunks to /api/v1/uploads. On an item's page (`data-item-id`: an item
 * without a master, or whose master failed) the file goes to that item. tus-js-client keeps each upload's address
 * in localStorage under the file's fingerprint (name, size, date), so a reload, a closed tab
 * or a dropped connection costs nothing: choosing the same file again continues the same
 * upload of the same item. Without this island the form stays hidden and the page offers the CLI.
 */

// Each PATCH carries at most this much: proxies with body limits pass it, and a dropped
// connection loses at most one chunk's worth of bytes in flight.
const CHUNK_BYTES = 64 * 1024 * 1024;
// Then every minute for as long as the browser says it is online.
const RETRY_DELAYS_MS = [
  0,
  1000,
  3000,
  5000,
  10_000,
  20_000,
  30_000,
  ...Array.from({ length: 60 }, () => 60_000),
];
// Screen readers hear the progress every this many percent, not at every event.
const ANNOUNCE_EVERY_PERCENT = 10;

type State = "idle" | "creating" | "uploading" | "paused" | "offline" | "done";

const form = document.querySelector<HTMLFormElement>("form[data-master-upload]");
if (form) enhance(form);

function enhance(form: HTMLFormElement): void {
  const lang = form.dataset.lang ?? "en";
  const messages = JSON.parse(form.dataset.messages ?? "{}") as Messages;
  const text = (name: string, params: Record<string, string | number> = {}) => say(messages, name, params);
  // tus-js-client resolves the Location it gets against the endpoint, which must be absolute.
  const endpoint = new URL(form.dataset.endpoint ?? "/api/v1/uploads", window.location.href).href;
  const part = <T extends Element>(name: string) => form.querySelector<T>(`[data-upload-${name}]`)!;
  const fields = part<HTMLFieldSetElement>("fields");
  const errors = part<HTMLElement>("errors");
  const submit = part<HTMLElement>("submit");
  const progressBox = part<HTMLElement>("progress");
  const progress = progressBox.querySelector("progress")!;
  const bytes = part<HTMLElement>("bytes");
  const pause = part<HTMLButtonElement>("pause");
  const status = part<HTMLElement>("status");
  const done = part<HTMLElement>("done");
  const fileInput = form.querySelector<HTMLInputElement>("input[type=file]")!;
  const value = (name: string) =>
    (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? "";
  // The item the file goes to: the page's (an item's page), or the one this form made for a file
  // that was then refused, so that another file goes to it rather than to a second item.
  let fixedItem = form.dataset.itemId ?? "";

  let state: State = "idle";
  let upload: Upload | null = null;
  let fileName = "";
  let percent = 0;
  let announced = 0;

  form.hidden = false;
  for (const note of Array.from(document.querySelectorAll<HTMLElement>("[data-needs-script]")))
    note.hidden = true;
  void mentionUnfinished();

  const announce = (message: string) => {
    status.textContent = message;
  };

  const setState = (next: State) => {
    state = next;
    const busy = next !== "idle";
    fields.disabled = busy;
    submit.hidden = busy;
    progressBox.hidden = !(next === "uploading" || next === "paused" || next === "offline");
    pause.textContent = text(next === "uploading" ? "pause" : "resume");
  };

  // Leaving while bytes are moving is allowed (the upload resumes later) but worth a warning.
  const warnBeforeLeaving = (event: BeforeUnloadEvent) => {
    if (state === "uploading" || state === "creating") event.preventDefault();
  };
  window.addEventListener("beforeunload", warnBeforeLeaving);

  const showProblems = (problems: { field: string | null; message: string }[]) => {
    const list = errors.querySelector("ul")!;
    list.replaceChildren(
      ...problems.map((p) => {
        const item = document.createElement("li");
        if (p.field) {
          const link = document.createElement("a");
          link.href = `#${p.field}`;
          link.textContent = p.message;
          item.append(link);
        } else {
          item.textContent = p.message;
        }
        return item;
      }),
    );
    for (const name of ["event", "file"]) {
      const control = document.getElementById(name);
      if (!control) continue;
      if (problems.some((p) => p.field === name)) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
    errors.hidden = problems.length === 0;
    if (problems.length) errors.focus();
  };

  const fail = (message: string) => {
    setState("idle");
    announce("");
    showProblems([{ field: null, message }]);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (state !== "idle") return;
    const file = fileInput.files?.[0];
    if (!file) return showProblems([{ field: "file", message: text("need_file") }]);
    // Busy at once: a second click while the stored uploads are looked up starts nothing.
    setState("creating");
    void begin(file);
  });

  pause.addEventListener("click", () => {
    if (!upload) return;
    if (state === "uploading") {
      setState("paused");
      // Without terminating: the server keeps what it has and HEAD tells where to go on.
      void upload.abort(false);
      announce(text("paused", { percent }));
    } else if (state === "paused" || state === "offline") {
      resume();
    }
  });

  window.addEventListener("online", () => {
    if (state === "offline") resume();
  });
  // A request on a vanished network can hang for minutes before it fails: stop it at once.
  window.addEventListener("offline", () => {
    if (state !== "uploading" || !upload) return;
    setState("offline");
    void upload.abort(false);
    announce(text("offline"));
  });

  function resume() {
    if (!upload) return;
    setState("uploading");
    announce(text("resuming", { name: fileName }));
    upload.start();
  }

  async function begin(file: File): Promise<void> {
    const next = new Upload(file, {
      endpoint,
      metadata: {},
      headers: { "accept-language": lang },
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => showProgress(sent, total),
      onShouldRetry: (error) => shouldRetry(error),
      onSuccess: ({ lastResponse }) => finished(lastResponse.getHeader("Pressroom-Item-Id") ?? ""),
      onError: (error) => void failed(file, error),
    });
    // A file sent before continues its own item, whatever the form now says; on an item's page,
    // only if it was sent to that item.
    const earlier = newest(await next.findPreviousUploads().catch(() => []));
    const previous = fixedItem && earlier?.metadata.itemId !== fixedItem ? null : earlier;
    if (!previous && !fixedItem && !value("event")) {
      setState("idle");
      showProblems([{ field: "event", message: text("need_event") }]);
      return;
    }
    showProblems([]);
    part<HTMLElement>("unfinished").hidden = true;
    upload = next;
    fileName = file.name;
    percent = 0;
    announced = 0;
    if (previous) {
      next.options.metadata = previous.metadata;
      next.resumeFromPreviousUpload(previous);
      setState("uploading");
      announce(text("resuming", { name: fileName }));
    } else if (fixedItem) {
      next.options.metadata = { itemId: fixedItem, filename: file.name };
      setState("uploading");
      announce(text("started", { name: fileName }));
    } else {
      announce(text("creating"));
      const itemId = await createItem().catch((error: unknown) => {
        fail(error instanceof Error ? error.message : text("unreachable"));
        return null;
      });
      if (itemId === null) return;
      next.options.metadata = { itemId, filename: file.name };
      setState("uploading");
      announce(text("started", { name: fileName }));
    }
    next.start();
  }

  async function createItem(): Promise<string> {
    const title = { en: value("title_en"), fr: value("title_fr") };
    const response = await fetch(form.dataset.items ?? "/api/v1/items", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "accept-language": lang },
      credentials: "same-origin",
      body: JSON.stringify({
        event: value("event"),
        type: "video",
        ...(value("kind") ? { kind: value("kind") } : {}),
        title,
      }),
    }).catch(() => {
      throw new Error(text("unreachable"));
    });
    const body = await response.text();
    if (!response.ok) throw new Error(apiErrorText(body) ?? text("unreachable"));
    return String((JSON.parse(body) as { id: number }).id);
  }

  function showProgress(sent: number, total: number) {
    percent = total ? Math.floor((sent / total) * 100) : 0;
    progress.value = percent;
    bytes.textContent = text("progress", {
      percent,
      sent: formatBytes(sent, lang),
      total: formatBytes(total, lang),
    });
    if (sent === total) {
      announce(text("checking"));
    } else if (percent >= announced + ANNOUNCE_EVERY_PERCENT) {
      announced = percent - (percent % ANNOUNCE_EVERY_PERCENT);
      announce(bytes.textContent);
    }
  }

  // As tus-js-client decides by default (not on a refusal, not while offline), saying so aloud.
  // tus's own 409 (an offset that no longer matches) is worth another try; the portal's 409 says
  // why in its JSON (an item that takes no master), and trying again would only be refused again.
  function shouldRetry(error: DetailedError): boolean {
    const response = error.originalResponse;
    const code = response?.getStatus() ?? 0;
    const portalRefusal = apiErrorCode(response?.getBody() ?? "") !== null;
    const refused = code >= 400 && code < 500 && (portalRefusal || (code !== 409 && code !== 423));
    if (refused || !navigator.onLine || state !== "uploading") return false;
    announce(text("retrying"));
    return true;
  }

  function finished(itemHeader: string) {
    const itemId = itemHeader || String(upload?.options.metadata?.itemId ?? "");
    // On the item's own page, the page itself is what changed: shown again, with its processing.
    if (form.dataset.itemId) {
      setState("done");
      window.location.assign(`${window.location.pathname}?done=uploaded`);
      return;
    }
    setState("done");
    announce("");
    const link = done.querySelector<HTMLAnchorElement>("[data-upload-item]")!;
    link.href = (form.dataset.itemPage ?? "").replace("{id}", encodeURIComponent(itemId));
    part<HTMLElement>("done-text").textContent = text("done", { name: fileName });
    done.hidden = false;
    done.focus();
  }

  async function failed(file: File, error: Error | DetailedError): Promise<void> {
    const response = "originalResponse" in error ? error.originalResponse : null;
    const code = response?.getStatus() ?? 0;
    if (code >= 400 && code < 500) {
      // The server refused the file and dropped its bytes: nothing is left to resume.
      await forget(file);
      const reason = apiErrorText(response?.getBody() ?? "") ?? error.message;
      fail(text("failed", { name: file.name, reason }));
      // The item this page made stays (marked failed): say so, and where to give it another file.
      // Not an item that takes no master (its own arrived meanwhile): another file would be refused too.
      const itemId = String(upload?.options.metadata?.itemId ?? "");
      const takesNoMaster = apiErrorCode(response?.getBody() ?? "") === "item_takes_no_master";
      if (itemId && !fixedItem && !takesNoMaster) {
        showItemLink(itemId);
        fixedItem = itemId;
        keepItemFields();
      }
      return;
    }
    // The network or the server is away: keep everything and go on when it is back.
    setState("offline");
    announce(text("offline"));
  }

  // The item is made: its event, kind and title are no longer the form's to choose.
  function keepItemFields(): void {
    for (const control of Array.from(
      fields.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select"),
    ))
      if (control !== fileInput) control.disabled = true;
  }

  function showItemLink(itemId: string): void {
    const link = document.createElement("a");
    link.href = (form.dataset.itemPage ?? "").replace("{id}", encodeURIComponent(itemId));
    link.textContent = text("failed_item");
    const item = document.createElement("li");
    item.append(link);
    errors.querySelector("ul")!.append(item);
  }

  async function forget(file: File): Promise<void> {
    const fingerprint = await defaultOptions.fingerprint(file, { endpoint });
    const stored = await defaultOptions.urlStorage.findUploadsByFingerprint(fingerprint);
    await Promise.all(stored.map((s) => defaultOptions.urlStorage.removeUpload(s.urlStorageKey)));
  }

  async function mentionUnfinished(): Promise<void> {
    const last = newest(await defaultOptions.urlStorage.findAllUploads().catch(() => []));
    const name = last?.metadata.filename;
    if (!name) return;
    const note = part<HTMLElement>("unfinished");
    note.textContent = text("unfinished", { name });
    note.hidden = false;
  }
}

/** The latest of this portal's stored uploads (ours carry the item they fill). */
function newest(uploads: PreviousUpload[]): PreviousUpload | null {
  const ours = uploads.filter((u) => u.metadata?.itemId && u.uploadUrl);
  ours.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
  return ours[0] ?? null;
}
