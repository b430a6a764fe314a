/**
 * Programme reordering without page reloads. The page works without it: each entry has
 * "Move up" / "Move down" forms. This island keeps those buttons (they are the keyboard way
 * to reorder), makes them move the entry in place, adds drag and drop by a handle for mouse
 * and touch-pad users, saves each new order at once and announces it to screen readers.
 */

const list = document.querySelector<HTMLOListElement>("ol.programme[data-reorder]");
if (list) enhance(list);

function enhance(list: HTMLOListElement): void {
  const url = list.dataset.reorder ?? "";
  const csrf = list.dataset.csrf ?? "";
  const status = document.querySelector<HTMLElement>(".reorder-status");
  let dragged: HTMLLIElement | null = null;

  const entries = () => Array.from(list.querySelectorAll<HTMLLIElement>(":scope > li[data-id]"));

  const announce = (entry: HTMLLIElement) => {
    if (!status) return;
    const all = entries();
    const title = entry.querySelector(".entry")?.textContent?.replace(/\s+/g, " ").trim() ?? "";
    status.textContent = (list.dataset.moved ?? "")
      .replace("{title}", title)
      .replace("{position}", String(all.indexOf(entry) + 1))
      .replace("{count}", String(all.length));
  };

  // The first entry cannot go up, the last cannot go down: as the server draws them.
  const refreshButtons = () => {
    const all = entries();
    all.forEach((entry, index) => {
      const up = entry.querySelector<HTMLButtonElement>('button[data-move="up"]');
      const down = entry.querySelector<HTMLButtonElement>('button[data-move="down"]');
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === all.length - 1;
    });
  };

  const save = async (moved: HTMLLIElement) => {
    refreshButtons();
    const order = entries()
      .map((entry) => entry.dataset.id)
      .join(",");
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf, order }),
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      announce(moved);
    } catch {
      // The server kept the order it had; show it rather than a list that was not saved.
      if (status) status.textContent = list.dataset.failed ?? "";
      setTimeout(() => window.location.reload(), 1500);
    }
  };

  for (const entry of entries()) {
    const handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.textContent = "⠿";
    // Keyboard and screen-reader users reorder with the buttons; the handle is for pointers only.
    handle.setAttribute("aria-hidden", "true");
    handle.title = list.dataset.dragLabel ?? "";
    entry.prepend(handle);
    handle.addEventListener("pointerdown", () => {
      entry.draggable = true;
    });
    entry.addEventListener("dragstart", (event) => {
      dragged = entry;
      entry.classList.add("dragging");
      event.dataTransfer?.setData("text/plain", entry.dataset.id ?? "");
      if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    });
    entry.addEventListener("dragend", () => {
      entry.draggable = false;
      entry.classList.remove("dragging");
      for (const other of entries()) other.classList.remove("drop-target");
      dragged = null;
    });
    entry.addEventListener("dragover", (event) => {
      if (!dragged || dragged === entry) return;
      event.preventDefault();
      for (const other of entries()) other.classList.toggle("drop-target", other === entry);
    });
    entry.addEventListener("drop", (event) => {
      if (!dragged || dragged === entry) return;
      event.preventDefault();
      const all = entries();
      const after = all.indexOf(dragged) < all.indexOf(entry);
      entry[after ? "after" : "before"](dragged);
      void save(dragged);
    });

    for (const form of Array.from(entry.querySelectorAll<HTMLFormElement>("form"))) {
      const button = form.querySelector<HTMLButtonElement>("button[data-move]");
      if (!button) continue;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const up = button.dataset.move === "up";
        const neighbour = up ? entry.previousElementSibling : entry.nextElementSibling;
        if (!neighbour) return;
        neighbour[up ? "before" : "after"](entry);
        // Focus stays with the entry that moved, on a button that still works.
        const again = entry.querySelector<HTMLButtonElement>(`button[data-move="${up ? "up" : "down"}"]`);
        refreshButtons();
        const other = entry.querySelector<HTMLButtonElement>(`button[data-move="${up ? "down" : "up"}"]`);
        (again && !again.disabled ? again : other)?.focus();
        void save(entry);
      });
    }
  }
}
