/* A printed page says when it was printed and where it came from (overrides/main.html has the
   line; kb.css shows it only on paper). Filled in when the page loads and again just before
   printing, so a page left open overnight prints today's date. Text only; sends nothing. */
(() => {
  "use strict"

  function stamp() {
    const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" })
    for (const el of document.querySelectorAll("[data-kb-printed]")) el.textContent = `Printed ${today}`
    const address = location.href.split("#")[0].split("?")[0]
    for (const el of document.querySelectorAll("[data-kb-address]")) el.textContent = `This page: ${address}`
  }

  stamp()
  addEventListener("beforeprint", stamp)
})()
