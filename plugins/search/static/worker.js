/* The site's search worker: MiniSearch over the index the build writes (search/search_index.json).

   It answers the messages of Material for MkDocs' search worker (set up, ready, query,
   result), so the theme's search box, keyboard handling and result list work unchanged.
   What it adds over the theme's lunr worker:
   - pages, not sections, are ranked (words spread over a page still find it), and each
     page's kind weighs in: guidance before other pages before per-record pages;
   - near spellings are found (edit distance grows with the word's length), and simple
     word endings are ignored ("groomed" finds "grooming");
   - glossary terms and what they stand for find each other (the build adds them to the index),
     and a term typed is searched with the words it stands for, at a lower weight ("CRU" also
     looks for "central referral unit", so the page about referring to it outranks one that
     only names it);
   - a page with a title or heading that says what the query says is worth more: its score
     grows with the share of that heading's words the query names ("return interview" finds
     the policy's section "The return interview" before a course of a longer name);
   - the snippet is the readable sentence around the words found, not the first text of the page;
   - each result message also says what was searched (`kb`), for the line above the results.
   The build prepends MiniSearch (MIT licence) to this file, and cuts and stems each page's words itself
   (prebuilt.py): the worker puts MiniSearch's index together from them (`indexFrom`) rather than reading every
   page's text in the reader's browser. */

"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const FIELD_BOOST = { title: 3, headings: 1.5, text: 1, synonyms: 1, audience: 1 }
const SNIPPET = 180
const BM25 = { k: 1.2, b: 0.75, d: 0.5 }  // MiniSearch's defaults, stated: the kind of page does the rest
const MAX_PAGES = 50
const EXPANSION_WEIGHT = 0.3  // a word of what a glossary term stands for, against a word typed
const HEADING_BONUS = 1       // the most a heading that is exactly the query multiplies the score by, plus one
const MAX_SECTIONS = 4

/* FIELDS (what is indexed) and STOP_WORDS (words too common to search for) are set by the build, above this
   file, from plugins/search/prebuilt.py, which indexes the pages with them. */

/* A light English stemmer: plural and verb endings only, so that prefixes typed so far still match. */
function stem(word) {
  if (word.length <= 3) return word
  if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y"
  if (word.endsWith("sses")) return word.slice(0, -2)
  for (const ending of ["ing", "ed"]) {
    if (word.endsWith(ending) && word.length - ending.length >= 3 && /[aeiouy]/.test(word.slice(0, -ending.length))) {
      const base = word.slice(0, -ending.length)
      return /([^aeiouylsz])\1$/.test(base) ? base.slice(0, -1) : base
    }
  }
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1)
  return word
}

/* Words as MiniSearch's tokenizer splits them: at spaces and punctuation. */
const SEPARATOR = /[\n\r\p{Z}\p{P}]+/u
const WORD = /([^\n\r\p{Z}\p{P}]+)/u

function words(text) {
  return text.toLowerCase().split(SEPARATOR).filter(Boolean)
}

/* What the index holds for a word: its stem, and, where that differs, the word as written
   (marked "="), so that the form a reader typed counts for more than its relatives. */
function indexTerms(term) {
  const stemmed = processTerm(term)
  if (!stemmed) return null
  const word = term.toLowerCase()
  return stemmed === word ? stemmed : [stemmed, `=${word}`]
}

const EXACT = "="

function processTerm(term) {
  const word = term.toLowerCase()
  if (!word || STOP_WORDS.has(word) || (word.length < 2 && !/\d/.test(word))) return null
  return stem(word)
}

/* How many letters may differ: one in a word of four letters or more, two from eight. */
function fuzziness(term) {
  return term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0
}

/* A word the site does not use, with two neighbouring letters swapped back ("retrun"), if that is one it uses. */
function unswapped(term) {
  if (site.vocabulary.has(term)) return term
  for (let i = 0; i + 1 < term.length; i++) {
    const swapped = term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2)
    if (site.vocabulary.has(swapped)) return swapped
  }
  return term
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])
}

/* The text with every word whose stem was matched marked, escaped for the result list. */
function highlight(text, matched) {
  return text.split(WORD).map((part, i) => {
    const escaped = escapeHTML(part)
    return i % 2 === 1 && matched.has(processTerm(part)) ? `<mark>${escaped}</mark>` : escaped
  }).join("")
}

/* A pattern finding the written forms of matched terms: each is a stem, so a word starting with it. */
function finder(matched) {
  const stems = [...matched].map(t => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).sort((a, b) => b.length - a.length)
  return stems.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${stems.join("|")})`, "iu") : null
}

/* About SNIPPET characters around the first matched word, cut at word boundaries. */
function snippet(text, matched, find) {
  if (text.length <= SNIPPET) return highlight(text, matched)
  const hit = find ? find.exec(text) : null
  const first = hit ? hit.index : -1
  let start = first < 0 ? 0 : Math.max(0, first - SNIPPET / 3)
  const sentence = text.lastIndexOf(". ", first)
  if (first >= 0 && sentence >= 0 && first - sentence < SNIPPET / 2) start = sentence + 2
  else if (start > 0) start = text.indexOf(" ", start) + 1
  let end = Math.min(text.length, start + SNIPPET)
  if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1)
  return (start > 0 ? "… " : "") + highlight(text.slice(start, end), matched) + (end < text.length ? " …" : "")
}

/* MiniSearch's serialised index (`MiniSearch.toJSON`, version 2) of the pages, and the written forms of their words
   with how often each is used, both in the order MiniSearch would meet them: made from the terms the build found
   on each page (plugins/search/prebuilt.py, `page_terms`: for each field its length, its terms and their counts,
   each joined by spaces; then the written forms and their counts), as `MiniSearch.add` would make it from the
   pages' text. The build keeps each page's terms with the page, so the index is put together here, not by it. */
function indexFrom(pages) {
  const terms = new Map(), forms = new Map(), fieldLength = {}, documentIds = {}
  const averageFieldLength = FIELDS.map(() => 0)
  let count = 0
  for (const found of pages) {
    if (!found) continue
    const page = count++
    documentIds[page] = page
    const lengths = fieldLength[page] = []
    FIELDS.forEach((_, field) => {
      const [length, words, counts] = found[field]
      lengths.push(length)
      averageFieldLength[field] = (averageFieldLength[field] * page + length) / (page + 1)
      paired(words, counts, (term, times) => {
        let postings = terms.get(term)
        if (!postings) terms.set(term, postings = {})
        if (!postings[field]) postings[field] = {}
        postings[field][page] = times
      })
    })
    paired(...found[FIELDS.length], (word, times) => forms.set(word, (forms.get(word) || 0) + times))
  }
  const fieldIds = Object.fromEntries(FIELDS.map((field, id) => [field, id]))
  return {
    index: { documentCount: count, nextId: count, documentIds, fieldIds, fieldLength, averageFieldLength,
             storedFields: {}, dirtCount: 0, index: [...terms], serializationVersion: 2 },
    forms,
  }
}

/* Each word of `words` with its count in `counts` (both joined by spaces; no word holds one). */
function paired(words, counts, each) {
  if (!words) return
  const found = words.split(" "), times = counts.split(" ")
  for (let i = 0; i < found.length; i++) each(found[i], +times[i])
}

let site = null

function setup({ config, docs }) {
  const pages = new Map()
  for (const doc of docs) {
    const [path] = doc.location.split("#")
    if (!doc.location.includes("#")) pages.set(path, { ...doc, sections: [] })
    else if (pages.has(path)) pages.get(path).sections.push(doc)
  }
  const records = [...pages.values()].map((page, id) => ({
    id, page,
    headingStems: [page.title, ...page.sections.map(section => section.title)]   // for headingMatch, made once
      .map(heading => new Set(words(heading || "").map(processTerm).filter(Boolean)))
      .filter(stems => stems.size)
  }))
  /* The build has cut and stemmed each page's words already, as MiniSearch would here (plugins/search/prebuilt.py),
     and counted the written form of each word, to complete the word being typed and name corrections. */
  const made = indexFrom(config.minisearch.pages)
  const search = MiniSearch.loadJS(made.index, { fields: FIELDS, storeFields: [], processTerm: indexTerms })
  const forms = made.forms
  const vocabulary = new Set([...forms.keys()].map(processTerm).filter(Boolean))
  site = { search, records, about: config.kb || { pages: records.length, glossary: [], help: [] }, forms, vocabulary }
}

/* The sections of a page that use the most of the matched terms (found in their text when shown,
   so the index keeps no word list per section). */
function sectionsFound(page, matched) {
  const finders = [...matched].map(term => finder([term]))
  return page.sections
    .map(section => ({ section, found: finders.filter(f => f.test(`${section.title} ${section.text}`)).length }))
    .filter(({ found }) => found > 0)
    .sort((a, b) => b.found - a.found)
    .slice(0, MAX_SECTIONS)
}

/* A result as the theme's list renders it: the title and a paragraph of text, both already escaped. */
function item(doc, title, text, score, terms) {
  return { location: doc.location, title, text: text ? `<p>${text}</p>` : "", score, terms }
}

/* One result: the page with the best snippet, then the sections where the words were found. */
function resultFor(result, query) {
  const record = site.records[result.id]
  const page = record.page
  const matched = new Set(result.terms.filter(t => !t.startsWith(EXACT)))
  const terms = {}
  for (const [word, processed] of query) terms[word] = answers(result, word, processed)
  const found = sectionsFound(page, matched)
  const find = finder(matched)
  const textual = [page, ...found.map(f => f.section)].find(d => d.text && find && find.test(d.text))
  const lead = textual || [page, ...page.sections].find(d => d.text) || page
  const items = [item(page, highlight(page.title, matched), snippet(lead.text || "", matched, find), result.score, terms)]
  found.forEach(({ section }, i) =>
    items.push(item(section, highlight(section.title, matched), snippet(section.text || "", matched, find),
                    result.score * (0.5 - i / 100), terms)))
  return items
}

/* What the query named from the glossary, and the words found by a near spelling. */
function explain(text, query, results) {
  const lower = ` ${words(text).join(" ")} `
  const glossary = site.about.glossary.filter(([term, expansion]) =>
    lower.includes(` ${words(term).join(" ")} `) || lower.includes(` ${words(expansion).join(" ")} `))
  const indexed = new Set(results.flatMap(r => r.terms).filter(t => !t.startsWith(EXACT)))
  const corrections = []
  for (const [word, processed, typed] of query) {
    if (typed !== processed) {
      corrections.push([word, [commonestForm(processed) || processed]])
      continue
    }
    if (indexed.has(processed) || [...indexed].some(t => t.startsWith(processed))) continue
    const near = [...indexed].filter(t => Math.abs(t.length - processed.length) <= fuzziness(processed) && distance(t, processed) <= fuzziness(processed))
    const written = near.map(t => commonestForm(t)).filter(Boolean)
    if (written.length) corrections.push([word, written.slice(0, 3)])
  }
  return { query: text, count: results.length, pages: site.about.pages, glossary, corrections, help: site.about.help }
}

function commonestForm(processed) {
  let best = null, most = 0
  for (const [word, count] of site.forms)
    if (count > most && processTerm(word) === processed) { best = word; most = count }
  return best
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}

/* The word being typed, completed with the commonest word of the site that starts with it. */
function suggestion(text) {
  const last = words(text).pop()
  if (!last || last.length < 2 || SEPARATOR.test(text.slice(-1))) return []
  let best = null, most = 0
  for (const [word, count] of site.forms)
    if (word.length > last.length && word.startsWith(last) && count > most) { best = word; most = count }
  return best ? [best] : []
}

function answers(result, word, processed) {
  return result.queryTerms.includes(processed) || result.queryTerms.includes(EXACT + word)
}

/* The words of what the glossary terms of a query stand for that it does not already ask for:
   "CRU" gives central, referral and unit. */
function expansionsOf(text, query) {
  const lower = ` ${words(text).join(" ")} `
  const asked = new Set(query.map(([, processed]) => processed))
  const found = new Set()
  for (const [term, expansion] of site.about.glossary) {
    if (!lower.includes(` ${words(term).join(" ")} `)) continue
    for (const word of words(expansion)) {
      const processed = processTerm(word)
      if (processed && !asked.has(processed)) found.add(processed)
    }
  }
  return [...found]
}

/* 1 plus the largest share of one heading's words (the page title's included) that the query
   names, for a heading that has every word of the query; 1 when no heading has them all. */
function headingMatch(record, query) {
  const wanted = query.map(([, processed]) => processed)
  let best = 0
  for (const stems of record.headingStems)
    if (wanted.every(term => stems.has(term))) best = Math.max(best, wanted.length / stems.size)
  return 1 + HEADING_BONUS * best
}

function search(text, options) {
  const query = []
  for (const word of words(text)) {
    const typed = processTerm(word)
    const processed = typed && unswapped(typed)
    if (processed && !query.some(([, p]) => p === processed)) query.push([word, processed, typed])
  }
  if (!query.length) return { items: [], kb: { query: text, count: 0, pages: site.about.pages, glossary: [], corrections: [], help: site.about.help } }
  const wanted = query.length
  const expansions = expansionsOf(text, query)
  const asked = [...query.flatMap(([word, processed]) => word === processed ? [processed] : [processed, EXACT + word]),
                 ...expansions]
  const expanded = new Set(expansions)
  const results = site.search.search({ queries: asked, combineWith: "OR" }, {
    boost: FIELD_BOOST,
    prefix: term => !term.startsWith(EXACT) && term.length >= 3,
    fuzzy: term => term.startsWith(EXACT) ? false : fuzziness(term),
    weights: { fuzzy: 0.3, prefix: 0.6 },
    boostTerm: term => expanded.has(term) ? EXPANSION_WEIGHT : 1,
    bm25: BM25,
    combineWith: "OR",
    boostDocument: id => site.records[id].page.boost || 1,
    processTerm: term => term  // the query terms are processed above, once
  })
  for (const result of results) {
    const share = query.filter(([word, processed]) => answers(result, word, processed)).length / wanted
    result.score *= share * share  // a page with every word beats one with many of one word
    result.score *= headingMatch(site.records[result.id], query)
  }
  results.sort((a, b) => b.score - a.score)
  const top = results.slice(0, MAX_PAGES)
  return {
    items: top.map(result => resultFor(result, query)),
    ...(options.suggest ? { suggest: suggestion(text) } : {}),
    kb: explain(text, query, top)
  }
}

let options = { suggest: false }

addEventListener("message", event => {
  const message = event.data
  switch (message.type) {
    case SETUP:
      options = message.data.options || options
      setup(message.data)
      postMessage({ type: READY })
      break
    case QUERY:
      try {
        postMessage({ type: RESULT, data: search(message.data, options) })
      } catch (error) {
        console.warn(`Search failed for: ${message.data}`, error)
        postMessage({ type: RESULT, data: { items: [] } })
      }
      break
  }
})
