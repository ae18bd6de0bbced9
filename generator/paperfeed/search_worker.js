/* paperfeed's search worker: Material's own worker for the site's pages, plus the papers
 * from the paper search index (paper_search.py), fetched a few small files at a time.
 *
 * Material's bundle talks to its worker in four messages (SETUP, READY, QUERY, RESULT) and
 * lets a site bring its own worker. This one loads Material's worker (its name is written in
 * by mkdocs_hooks.py) and keeps its message handler for itself, so the hand-written pages are
 * searched exactly as before; each query also runs over the paper index, and the papers come
 * first in the result, in Material's own result format.
 */
"use strict";

const MATERIAL_WORKER = "__MATERIAL_WORKER__";
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const WORD = /[\p{L}\p{N}]+/gu;
const MARK = /\p{M}/gu;
const ARXIV_VERSION = /^(\d{4,5})v\d+$/; // "2401.12345v2" is paper 2401.12345
// Words a query may hold that say nothing about which paper is meant (Material's search
// drops such words too): "the survey of diffusion" looks for "survey" and "diffusion".
const STOP_WORDS = new Set(
  "an and are as at be by for from has have in into is it its of on or our than that the their this to via we with"
    .split(" ")
);

/** The words of a text as the index holds them (paper_search.words): lower case, no accents. */
function paperfeedWords(text) {
  let folded = String(text).toLowerCase();
  if (/[^\x00-\x7f]/.test(folded)) folded = folded.normalize("NFKD").replace(MARK, "");
  return folded.match(WORD) || [];
}

/** The terms file a word lives in (paper_search.term_key). */
function paperfeedTermKey(word) {
  const prefix = Array.from(word).slice(0, 2).join("");
  if (/^[a-z0-9]{1,2}$/.test(prefix)) return prefix;
  return "x-" + Array.from(prefix, char => char.codePointAt(0).toString(16)).join("-");
}

/** True when `word` starts with one of `terms`: the words a search marks. */
function startsAny(word, terms) {
  return terms.some(term => word.startsWith(term));
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}

/** `text`, escaped, with each word that starts with one of `terms` marked. */
function highlight(text, terms) {
  let html = "", last = 0;
  for (const found of String(text).matchAll(WORD)) {
    const [word] = paperfeedWords(found[0]);
    if (word && startsAny(word, terms)) {
      html += escapeHtml(text.slice(last, found.index)) + `<mark data-md-highlight>${escapeHtml(found[0])}</mark>`;
      last = found.index + found[0].length;
    }
  }
  return html + escapeHtml(text.slice(last));
}

/** A long author list shortened: the first six, then only those a term matched, and the count. */
function byline(authors, terms) {
  const names = authors.split(", ");
  if (names.length <= 8) return highlight(authors, terms);
  const later = names.slice(6).filter(name => paperfeedWords(name).some(word => startsAny(word, terms)));
  const shown = [...names.slice(0, 6), ...(later.length ? ["…", ...later] : [])];
  return `${highlight(shown.join(", "), terms)}${later.length ? "" : ", …"} (${names.length} authors)`;
}

class PaperIndex {
  constructor(root) {
    this.root = root;
    this.files = new Map(); // path -> Promise of its JSON (null when missing)
    this.manifest.catch(() => {}); // asked for now, so the first search need not wait for it
  }

  /** The manifest, fetched once (again after a failure, such as the network being away). */
  get manifest() {
    return this.load("manifest.json", false);
  }

  load(path, versioned = true) {
    if (!this.files.has(path)) {
      const request = (versioned ? this.manifest : Promise.resolve(null)).then(manifest => {
        const url = new URL(path, this.root);
        if (manifest) url.searchParams.set("v", manifest.version);
        return fetch(url, versioned ? {} : { cache: "no-cache" });
      }).then(response => (response.ok ? response.json() : null));
      this.files.set(path, request.catch(error => {
        this.files.delete(path); // try again with the next query
        throw error;
      }));
    }
    return this.files.get(path);
  }

  /** Ordinal -> weight of the papers that have a word starting with `term`. */
  async match(term) {
    const key = paperfeedTermKey(term);
    const shard = ((await this.manifest).terms.includes(key) && (await this.load(`terms/${key}.json`))) || {};
    const singular = term.length > 3 && term.endsWith("s") ? term.slice(0, -1) : null;
    const found = new Map();
    for (const field of ["t", "a"]) {
      for (const [word, gaps] of Object.entries(shard[field] || {})) {
        if (!word.startsWith(term) && word !== singular) continue;
        const weight = word === term || word === singular || word === term + "s" ? 3 : 1;
        let ordinal = 0;
        for (const gap of gaps) {
          ordinal += gap;
          if ((found.get(ordinal) || 0) < weight) found.set(ordinal, weight);
        }
      }
    }
    return found;
  }

  /** The best papers for a query: {papers: their ordinals, best first, terms, matches, manifest}. */
  async search(query) {
    const manifest = await this.manifest;
    if (!manifest || manifest.format !== 1) return { papers: [], terms: [] };
    const words = [...new Set(paperfeedWords(query).map(w => w.replace(ARXIV_VERSION, "$1")))].filter(
      t => t.length >= manifest.min_term
    );
    const meaningful = words.filter(word => !STOP_WORDS.has(word));
    const terms = (meaningful.length ? meaningful : words).slice(0, 8);
    if (!terms.length) return { papers: [], terms };
    const matches = await Promise.all(terms.map(term => this.match(term)));
    const scores = new Map(); // ordinal -> [terms matched, weight]
    for (const found of matches)
      for (const [ordinal, weight] of found) {
        const score = scores.get(ordinal) || [0, 0];
        scores.set(ordinal, [score[0] + 1, score[1] + weight]);
      }
    // Papers with every word, when there are any; else those with the most (Material marks the
    // missing words).
    const most = Math.max(0, ...[...scores.values()].map(([matched]) => matched));
    const papers = [...scores]
      .filter(([, [matched]]) => matched === most)
      .sort(([a, [, x]], [b, [, y]]) => y - x || b - a) // best words, then newest
      .slice(0, manifest.results)
      .map(([ordinal]) => ordinal);
    return { papers, terms, matches, manifest };
  }

  /** Material's result groups for the papers of `search()`, best first. */
  async results({ papers, terms, matches, manifest }, topScore) {
    const blocks = [...new Set(papers.map(ordinal => Math.floor(ordinal / manifest.block)))];
    const docs = new Map(await Promise.all(blocks.map(async n => [n, (await this.load(`docs/${n}.json`)) || []])));
    const groups = [];
    papers.forEach((ordinal, rank) => {
      const doc = docs.get(Math.floor(ordinal / manifest.block))[ordinal % manifest.block];
      if (!doc) return;
      const [id, day, title, authors] = doc;
      const matched = {};
      terms.forEach((term, i) => (matched[term] = matches[i].has(ordinal)));
      const people = authors ? ` · ${byline(authors, terms)}` : "";
      groups.push([{
        location: manifest.page.replace("{id}", id),
        title: highlight(title, terms),
        text: `<p>${escapeHtml(day)}${people}</p>`,
        score: topScore + papers.length - rank, // shown first, and Enter opens the first shown
        terms: matched,
      }]);
    });
    return groups;
  }
}

function suggestion(groups, terms) {
  // Material completes the last word typed from the last entry of `suggest`.
  const last = terms[terms.length - 1];
  const title = groups.length ? groups[0][0].title.replace(/<[^>]*>/g, "") : "";
  const word = paperfeedWords(title).find(w => last && w.startsWith(last));
  return word ? [word] : [];
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  const send = self.postMessage.bind(self);
  const papers = new PaperIndex(new URL("../../../search/papers/", self.location.href));
  let material = null; // Material's message listener
  let answer = null; // resolves the reply Material's worker posts next
  let latest = 0;

  // Material's worker registers a listener and posts its replies: both come here instead.
  const addListener = self.addEventListener.bind(self);
  self.addEventListener = (type, listener, ...rest) =>
    type === "message" ? (material = listener) : addListener(type, listener, ...rest);
  self.postMessage = message => answer && answer(message);
  importScripts(MATERIAL_WORKER);

  const askMaterial = message =>
    new Promise(resolve => {
      answer = resolve;
      material({ data: message });
    });
  let queue = Promise.resolve(); // Material's worker answers one message at a time

  addListener("message", ({ data: message }) => {
    const ticket = ++latest;
    queue = queue.then(async () => {
      if (message.type === SETUP) {
        await askMaterial(message);
        send({ type: READY });
        return;
      }
      if (message.type !== QUERY) return;
      const found = await papers.search(message.data).catch(error => {
        console.warn("paperfeed: the paper search index could not be read", error);
        return { papers: [], terms: [] };
      });
      if (ticket !== latest) return; // a newer query is waiting: answer that one
      const site = await askMaterial(message);
      const items = site.data.items || [];
      const topScore = Math.max(0, ...items.map(group => group[0].score));
      const groups = found.papers.length ? await papers.results(found, topScore).catch(() => []) : [];
      if (ticket !== latest) return;
      const suggest = site.data.suggest && (groups.length ? suggestion(groups, found.terms) : site.data.suggest);
      // What has every word comes first and alone; without any, what has the most words.
      const complete = group =>
        group.some(({ terms }) => Object.keys(terms).length && Object.values(terms).every(Boolean));
      let all = [...groups, ...items];
      if (all.some(complete)) all = all.filter(complete);
      send({ type: RESULT, data: { items: all, ...(suggest && { suggest }) } });
    }).catch(error => console.warn("paperfeed: search failed", error)); // the next query still runs
  });
}
