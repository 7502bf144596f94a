/* Search, in the page: the line above the results that says what was searched, and, when
   nothing matches, where to look instead (the glossary and the audience start pages).

   The theme's search box talks to the site's search worker (worker.js); each result
   message also carries `kb`, what the worker understood of the query. This script listens
   to the same worker: loaded before the theme's bundle, it hands the theme a Worker that
   also shows that message. The count itself is the theme's, in a polite live region
   (overrides/partials/search.html), so screen readers announce it. Text only: nothing from
   the index is inserted as HTML. */

(() => {
  "use strict"

  const Base = window.Worker
  if (typeof Base !== "function") return
  const RESULT = 3

  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options)
      this.addEventListener("message", event => {
        const message = event.data
        if (message && message.type === RESULT && message.data && message.data.kb) show(message.data.kb)
      })
    }
  }

  function siteBase() {
    const config = JSON.parse(document.getElementById("__config").textContent)
    return new URL(config.base, location.href)
  }

  function link(title, location) {
    const a = document.createElement("a")
    a.href = new URL(location, siteBase()).href
    // The theme's Enter key reads a score from a link's first element.
    const span = document.createElement("span")
    span.dataset.mdScore = "0"
    span.textContent = title
    a.append(span)
    return a
  }

  function quoted(text) {
    return `“${text}”`
  }

  function show(about) {
    const box = document.querySelector("[data-kb-search-about]")
    if (!box) return
    box.replaceChildren()
    const query = about.query.trim()
    if (query) {
      const searched = document.createElement("p")
      let text = `Searched the titles, headings and text of ${about.pages} pages for ${quoted(query)}`
      const named = about.glossary.map(([term, expansion]) => `${term} also as ${quoted(expansion.toLowerCase())}`)
      if (named.length) text += `, reading ${named.join("; ")}`
      const near = about.corrections.map(([typed, found]) => `${quoted(typed)} as ${found.map(quoted).join(" or ")}`)
      if (near.length) text += `, and ${near.join("; ")} (near spellings)`
      searched.textContent = `${text}.`
      box.append(searched)
    }
    if (query && about.count === 0) {
      const help = document.createElement("p")
      help.textContent = "Try fewer or other words. Abbreviations and terms are explained in the glossary; each audience's start page lists what it covers:"
      const list = document.createElement("ul")
      for (const { title, location } of about.help) {
        const item = document.createElement("li")
        item.append(link(title, location))
        list.append(item)
      }
      box.append(help, list)
    }
    box.hidden = !query
    box.dataset.kbQuery = about.query
  }
})()
