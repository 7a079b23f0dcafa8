// The filter page with htmx: a 400 answer is the page itself with a message naming the bad
// argument, so it is swapped in like a 200 instead of being dropped as an error.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest("#browse")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Search as you type: the form asks after a 300 ms pause in the search box (its hx-trigger).
// Those requests say so, and the server then replaces the history entry of a search already
// under way instead of pushing one per pause: Back leaves the search, not one letter of it.
document.addEventListener("htmx:configRequest", function (event) {
  var cause = event.detail.triggeringEvent;
  if (cause && cause.type === "input" && cause.target && cause.target.id === "q") {
    event.detail.headers["X-Search-Typing"] = "1";
  }
});

// Typing already asks (above); the search box's own change event, when it loses the focus or on
// Enter, would ask again for the same list, so it stops here. Without JavaScript the form's
// button sends it all.
document.addEventListener("change", function (event) {
  if (event.target && event.target.id === "q") event.stopPropagation();
}, true);

// The search box sits outside what htmx swaps, so nothing overwrites what is being typed. A
// link that changes the words instead (removing them, "Did you mean ...?") sets the box from
// the list it brought, unless the shopper is typing in it at that moment.
document.addEventListener("htmx:afterSwap", function () {
  var box = document.getElementById("q");
  var results = document.getElementById("results");
  if (!box || !results || document.activeElement === box) return;
  var words = results.getAttribute("data-q");
  if (words !== null && box.value !== words) box.value = words;
});

// The device page's gallery works without this (thumbnails link to #picture-N and CSS shows
// the :target); here a thumbnail shows its picture without scrolling the page to it.
(function () {
  var gallery = document.getElementById("gallery");
  var thumbs = gallery ? gallery.querySelectorAll("[data-gallery-thumb]") : [];
  if (!thumbs.length) return;
  var slides = gallery.querySelectorAll(".gallery__slide");
  function show(index) {
    slides.forEach(function (slide, i) { slide.classList.toggle("is-shown", i === index); });
    thumbs.forEach(function (thumb, i) {
      if (i === index) thumb.setAttribute("aria-current", "true");
      else thumb.removeAttribute("aria-current");
    });
  }
  var start = Array.prototype.findIndex.call(slides, function (slide) {
    return "#" + slide.id === window.location.hash;
  });
  show(start < 0 ? 0 : start);
  gallery.classList.add("gallery--js");
  thumbs.forEach(function (thumb, i) {
    thumb.addEventListener("click", function (event) { event.preventDefault(); show(i); });
  });
})();
