/**
 * The event's photo gallery: previous/next and the thumbnails change the picture in place,
 * with arrow keys and swipes too, keeping "n / N" and the address (?photo=n) up to date.
 * Without it the same controls are links that load the page at that photo.
 */
type Photo = { src: string; title: string; credit: string };

function attach(root: HTMLElement): void {
  const thumbs = Array.from(root.querySelectorAll<HTMLAnchorElement>("[data-gallery-photo]"));
  const photos: Photo[] = thumbs.map((a) => ({
    src: a.dataset.galleryPhoto ?? "",
    title: a.dataset.galleryTitle ?? "",
    credit: a.dataset.galleryCredit ?? "",
  }));
  const image = root.querySelector<HTMLImageElement>("[data-gallery-image]");
  const caption = root.querySelector<HTMLElement>("[data-gallery-caption]");
  const credit = root.querySelector<HTMLElement>("[data-gallery-credit]");
  const counter = root.querySelector<HTMLElement>("[data-gallery-counter]");
  const template = root.dataset.counterTemplate ?? "{n} / {total}";
  if (!image || photos.length === 0) return;
  let index = Number(root.dataset.index ?? 1);

  // Links at the ends cannot be disabled: buttons can. aria-disabled rather than disabled, so
  // "Next photo" keeps the focus when it reaches the last photo instead of dropping it to the page.
  const steps = Array.from(root.querySelectorAll<HTMLElement>("[data-gallery-step]")).map((old) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = old.textContent;
    button.dataset.galleryStep = old.dataset.galleryStep;
    button.addEventListener("click", () => {
      if (button.getAttribute("aria-disabled") !== "true") show(index + Number(button.dataset.galleryStep));
    });
    old.replaceWith(button);
    return button;
  });

  function show(n: number): void {
    if (n < 1 || n > photos.length) return;
    index = n;
    const photo = photos[n - 1]!;
    image!.src = photo.src;
    image!.alt = photo.title;
    if (caption) caption.textContent = photo.title;
    // Already "© …" (the page writes it once, whatever the editor typed).
    if (credit) credit.textContent = photo.credit;
    if (counter)
      counter.textContent = template.replace("{n}", String(n)).replace("{total}", String(photos.length));
    for (const [i, a] of thumbs.entries()) {
      if (i === n - 1) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    }
    for (const b of steps) {
      const target = n + Number(b.dataset.galleryStep);
      if (target < 1 || target > photos.length) b.setAttribute("aria-disabled", "true");
      else b.removeAttribute("aria-disabled");
    }
    const url = new URL(location.href);
    url.searchParams.set("photo", String(n));
    history.replaceState(null, "", url);
  }

  for (const [i, a] of thumbs.entries()) {
    a.addEventListener("click", (event) => {
      event.preventDefault();
      show(i + 1);
    });
  }
  root.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") show(index - 1);
    else if (event.key === "ArrowRight") show(index + 1);
    else return;
    event.preventDefault();
  });
  let startX: number | null = null;
  image.addEventListener("pointerdown", (event: PointerEvent) => {
    startX = event.clientX;
  });
  image.addEventListener("pointerup", (event) => {
    if (startX === null) return;
    const dx = event.clientX - startX;
    startX = null;
    if (Math.abs(dx) > 40) show(index + (dx < 0 ? 1 : -1));
  });
  image.style.touchAction = "pan-y";
  show(index);
}

for (const root of Array.from(document.querySelectorAll<HTMLElement>("[data-gallery]"))) attach(root);
