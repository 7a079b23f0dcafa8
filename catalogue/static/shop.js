// The filter page with htmx: a 400 answer is the page itself with a message naming the bad
// argument, so it is swapped in like a 200 instead of being dropped as an error.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest("#browse")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
