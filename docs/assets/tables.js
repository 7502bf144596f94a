/* A table wider than the screen (on a phone, say) scrolls sideways inside its own box, which the
   theme makes around it (.md-typeset__scrollwrap). Such a box is made reachable by keyboard, so it
   can be scrolled with the arrow keys, and named after the table's caption for screen readers.
   A box that does not scroll is left alone: no extra tab stop. Sends and stores nothing. */
(() => {
  "use strict"

  function label(box) {
    const caption = box.querySelector("caption")
    const name = caption ? caption.textContent.trim() : "Table"
    return `${name} (scrolls sideways)`
  }

  function update() {
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0")
        box.setAttribute("role", "region")
        box.setAttribute("aria-label", label(box))
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex")
        box.removeAttribute("role")
        box.removeAttribute("aria-label")
      }
    }
  }

  let pending = 0
  addEventListener("resize", () => {
    cancelAnimationFrame(pending)
    pending = requestAnimationFrame(update)
  })
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(update)  /* the theme wraps tables, and re-renders pages, before this runs */
  } else {
    update()
  }
})()
