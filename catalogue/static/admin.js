// The device editor's small helpers. Everything works without this file; it only saves typing.
(function () {
  "use strict";

  // Suggest the slug from the name until the slug is typed by hand.
  const slug = document.querySelector("[data-slug-target]");
  const name = document.querySelector("[data-slug-source]");
  if (slug && name) {
    let touched = slug.value !== "";
    const slugify = (text) =>
      text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120);
    slug.addEventListener("input", () => { touched = slug.value !== ""; });
    name.addEventListener("input", () => { if (!touched) slug.value = slugify(name.value); });
  }

  // "Add a wavelength": copy the last emission row, emptied.
  const add = document.querySelector("[data-add-emission]");
  const rows = document.querySelector("[data-emission-rows]");
  if (add && rows) {
    add.hidden = false;
    add.addEventListener("click", () => {
      const last = rows.querySelector("tr:last-child");
      if (!last) return;
      const copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach((input) => { input.value = ""; });
      rows.appendChild(copy);
      copy.querySelector("input").focus();
    });
  }
})();

// The device list: "tick every device on this page".
(function () {
  "use strict";
  const all = document.querySelector("[data-tick-all]");
  const list = document.querySelector("[data-worklist]");
  if (!all || !list) return;
  const boxes = () => list.querySelectorAll('input[name="ids"]');
  all.hidden = false;
  all.addEventListener("change", () => { boxes().forEach((box) => { box.checked = all.checked; }); });
  list.addEventListener("change", (event) => {
    if (event.target === all) return;
    const ticked = Array.from(boxes()).filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === boxes().length;
    all.indeterminate = ticked > 0 && ticked < boxes().length;
  });
})();

// The device form's error summary: focus it when the page loads, so a keyboard or screen-reader
// user starts at the list of problems; a link in it focuses its field (or the first control of
// a group such as the emission rows), not only scrolls to it.
(function () {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    const control = target.matches("input, select, textarea")
      ? target : target.querySelector("input, select, textarea");
    if (!control) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    control.focus({ preventScroll: true });
  });
})();
