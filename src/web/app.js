/* app.js - the page of `khotin serve`: search as you type, timeline,
 * article and person views, CSV download. No framework.
 *
 * Safety: everything that comes from the archive is put in the page with
 * textContent, text nodes or setAttribute, never parsed as HTML; links to
 * outside pages are only http(s). The server's Content-Security-Policy
 * forbids inline scripts and styles, so this file sets no style attributes.
 */
"use strict";

(function () {
  /* ---------------------------------------------------------- strings */

  const STRINGS = {
    vi: {
      brand: "Kho tin",
      placeholder: "Tìm: an ninh mang, \"đối thoại\", person:bossert…",
      searchLabel: "Tìm trong kho tin",
      helpTitle: "Cú pháp tìm kiếm",
      helpIntro: "Gõ có dấu hay không dấu đều được: \"nguyen tan dung\" tìm thấy \"Nguyễn Tấn Dũng\", \"dang\" tìm thấy \"Đặng\".",
      close: "Đóng",
      filters: "Bộ lọc",
      from: "Từ ngày",
      to: "Đến ngày",
      person: "Người",
      personPlaceholder: "vd. nguyen xuan phuc",
      sort: "Sắp xếp",
      sortRelevance: "Liên quan",
      sortDate: "Mới nhất",
      sortHeadline: "Tiêu đề (A–Z)",
      fold: "Bỏ qua dấu ở mọi từ",
      clear: "Xoá bộ lọc",
      csv: "Tải CSV",
      csvTitle: "Tải các kết quả (tối đa 1000) dưới dạng CSV cho Excel",
      prev: "← Trước",
      next: "Sau →",
      footer: "khotin — kho tin tức tiếng Việt, chỉ đọc, chạy trên máy của bạn.",
      langButton: "English",
      searching: "Đang tìm…",
      loading: "Đang tải…",
      results: "{0} bài khớp",
      noResults: "Không có bài nào khớp. Thử bớt từ, bỏ dấu hoặc dùng OR.",
      pageInfo: "{0}–{1} / {2}",
      note: "Lưu ý: {0}",
      error: "Lỗi: {0}",
      badDate: "Ngày phải có dạng YYYY, YYYY-MM hoặc YYYY-MM-DD",
      welcome: "Gõ từ cần tìm vào ô phía trên: kết quả hiện ra ngay khi gõ.",
      archiveStats: "Kho có {0} bài, {1} người được nhắc tên ({2} người được trích lời), {3} nguồn.",
      archiveRange: "Bài có ngày đầy đủ: từ {0} đến {1}.",
      topPeople: "Người được trích lời nhiều nhất",
      timelineTitle: "Số bài khớp theo tháng",
      timelineYears: "Số bài khớp theo năm",
      timelineLabel: "Biểu đồ số bài khớp theo thời gian",
      undated: "{0} bài không có ngày đầy đủ",
      noDated: "Không bài nào khớp có ngày đầy đủ.",
      barTitle: "{0}: {1} bài — bấm để lọc",
      articles: "{0} bài",
      back: "← Quay lại kết quả",
      published: "Ngày đăng",
      publisher: "Nguồn",
      author: "Tác giả",
      agencies: "Hãng tin",
      url: "Địa chỉ gốc",
      importedFrom: "Nhập từ tệp",
      peopleInArticle: "Người trong bài",
      quoted: "được trích lời",
      noDate: "không rõ ngày",
      noYear: "không rõ năm",
      personTitle: "Người",
      roles: "Chức danh",
      noRoles: "không rõ chức danh",
      personCounts: "Có tên trong {0} bài, được trích lời trong {1} bài.",
      personRange: "Từ {0} đến {1}.",
      quotes: "Phát biểu",
      noQuotes: "Không có lời trích nào.",
      personArticles: "Các bài có tên",
      personTimeline: "Số bài có tên theo tháng",
      searchPerson: "Tìm các bài có tên người này",
      notFound: "Không tìm thấy.",
      helpRows: [
        ["an ninh mang", "mọi từ phải có mặt; không dấu khớp mọi dạng có dấu"],
        ["mạ", "từ gõ có dấu chỉ khớp đúng cách viết đó"],
        ["\"an ninh mạng\"", "cụm từ: các từ liền nhau, đúng thứ tự"],
        ["thuy*", "tiền tố: thuỷ, thuyền, thuý…"],
        ["bao OR lu", "một trong hai từ"],
        ["-bong", "loại trừ một từ (hoặc -\"một cụm\")"],
        ["person:bossert", "bài có tên người đó (dấu tuỳ ý); person:\"nguyen xuan phuc\""],
        ["source:reuters", "nguồn hoặc hãng tin; source:\"to quoc\""],
        ["from:2017-07-01", "từ ngày (YYYY, YYYY-MM hoặc YYYY-MM-DD)"],
        ["to:2017-07", "đến ngày"]
      ]
    },
    en: {
      brand: "Kho tin",
      placeholder: "Search: an ninh mang, \"đối thoại\", person:bossert…",
      searchLabel: "Search the archive",
      helpTitle: "Query language",
      helpIntro: "Diacritics are optional: \"nguyen tan dung\" finds \"Nguyễn Tấn Dũng\", \"dang\" finds \"Đặng\".",
      close: "Close",
      filters: "Filters",
      from: "From",
      to: "To",
      person: "Person",
      personPlaceholder: "e.g. nguyen xuan phuc",
      sort: "Sort",
      sortRelevance: "Relevance",
      sortDate: "Newest",
      sortHeadline: "Headline (A–Z)",
      fold: "Ignore diacritics in every word",
      clear: "Clear filters",
      csv: "Download CSV",
      csvTitle: "Download the matches (at most 1000) as CSV for Excel",
      prev: "← Previous",
      next: "Next →",
      footer: "khotin — a Vietnamese news archive, read-only, running on your computer.",
      langButton: "Tiếng Việt",
      searching: "Searching…",
      loading: "Loading…",
      results: "{0} matching articles",
      noResults: "No article matches. Try fewer words, no diacritics, or OR.",
      pageInfo: "{0}–{1} of {2}",
      note: "Note: {0}",
      error: "Error: {0}",
      badDate: "Dates are YYYY, YYYY-MM or YYYY-MM-DD",
      welcome: "Type in the box above: results appear as you type.",
      archiveStats: "The archive holds {0} articles, {1} people named ({2} quoted), {3} publishers.",
      archiveRange: "Articles with a full date: {0} to {1}.",
      topPeople: "Most quoted people",
      timelineTitle: "Matching articles per month",
      timelineYears: "Matching articles per year",
      timelineLabel: "Chart of matching articles over time",
      undated: "{0} articles without a full date",
      noDated: "No matching article has a full date.",
      barTitle: "{0}: {1} articles — click to filter",
      articles: "{0} articles",
      back: "← Back to results",
      published: "Published",
      publisher: "Publisher",
      author: "Author",
      agencies: "Agencies",
      url: "Original address",
      importedFrom: "Imported from",
      peopleInArticle: "People in the article",
      quoted: "quoted",
      noDate: "no date",
      noYear: "year unknown",
      personTitle: "Person",
      roles: "Roles",
      noRoles: "no known role",
      personCounts: "Named in {0} articles, quoted in {1}.",
      personRange: "From {0} to {1}.",
      quotes: "Quotes",
      noQuotes: "No quotes.",
      personArticles: "Articles naming them",
      personTimeline: "Articles naming them per month",
      searchPerson: "Search the articles naming this person",
      notFound: "Not found.",
      helpRows: [
        ["an ninh mang", "every word must match; a word without diacritics matches every accented form"],
        ["mạ", "a word typed with diacritics matches that spelling only"],
        ["\"an ninh mạng\"", "a phrase: the words adjacent and in order"],
        ["thuy*", "prefix: thuỷ, thuyền, thuý…"],
        ["bao OR lu", "either word"],
        ["-bong", "exclude a word (or -\"a phrase\")"],
        ["person:bossert", "articles naming that person (diacritics optional); person:\"nguyen xuan phuc\""],
        ["source:reuters", "publisher or agency; source:\"to quoc\""],
        ["from:2017-07-01", "published from (YYYY, YYYY-MM or YYYY-MM-DD)"],
        ["to:2017-07", "published until"]
      ]
    }
  };

  let lang = "vi";
  try {
    if (window.localStorage.getItem("khotin.lang") === "en") lang = "en";
  } catch (e) { /* storage may be unavailable */ }

  function t(key, ...args) {
    let s = STRINGS[lang][key];
    if (s === undefined) s = STRINGS.vi[key];
    if (s === undefined) return key;
    args.forEach((a, i) => { s = s.split("{" + i + "}").join(String(a)); });
    return s;
  }

  function num(n) {
    return Number(n).toLocaleString(lang === "vi" ? "vi-VN" : "en-US");
  }

  /* -------------------------------------------------------------- DOM */

  const $ = (id) => document.getElementById(id);
  const SVG_NS = "http://www.w3.org/2000/svg";

  /* el("a", {href: "#", class: "x", text: "..."}, child...) - attributes
   * through setAttribute, text through text nodes: nothing is parsed. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    for (const c of children) {
      if (c !== null && c !== undefined && c !== false) e.append(c);
    }
    return e;
  }

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG_NS, tag);
    setAttrs(e, attrs);
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c);
    }
    return e;
  }

  function setAttrs(e, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") e.textContent = String(v);
      else if (k === "class") e.setAttribute("class", v);
      else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* Only http(s) addresses become links to outside pages. */
  function safeUrl(u) {
    return typeof u === "string" && /^https?:\/\/[^\s]+$/i.test(u) ? u : null;
  }

  /* ------------------------------------------------------- text utils */

  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d");
  }

  function exact(s) {
    return s.normalize("NFC").toLowerCase();
  }

  /* As the server decides: a word with any non-ASCII letter or mark is
   * typed "with diacritics". */
  function hasMarks(s) {
    return /[^\x00-\x7f]/.test(s);
  }

  const WORD = /[\p{L}\p{N}\p{M}]+/gu;

  /* The positive words of a query (no filters, no excluded words), for
   * highlighting text the server did not mark (headlines, articles). */
  function queryTerms(q, foldAll) {
    const terms = [];
    const re = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|([^\s"]+))/g;
    let m;
    while ((m = re.exec(q || "")) !== null) {
      if (m[0] === "") { re.lastIndex++; continue; }
      if (m[1] || m[2]) continue;
      const text = m[3] !== undefined ? m[3] : m[4];
      if (text === "OR") continue;
      const prefix = m[4] !== undefined && text.endsWith("*");
      const words = text.match(WORD) || [];
      words.forEach((w, i) => {
        terms.push({
          fold: fold(w),
          exact: exact(w),
          accent: !foldAll && hasMarks(w),
          prefix: prefix && i === words.length - 1
        });
      });
    }
    return terms;
  }

  function termMatches(word, terms) {
    const f = fold(word);
    const x = exact(word);
    return terms.some((tm) => {
      const w = tm.accent ? x : f;
      const p = tm.accent ? tm.exact : tm.fold;
      return tm.prefix ? w.startsWith(p) : w === p;
    });
  }

  /* Text with the query's words in <mark>, as nodes. */
  function highlighted(text, terms) {
    const frag = document.createDocumentFragment();
    if (!terms.length) {
      frag.append(text);
      return frag;
    }
    let last = 0;
    for (const m of text.matchAll(WORD)) {
      if (!termMatches(m[0], terms)) continue;
      if (m.index > last) frag.append(text.slice(last, m.index));
      frag.append(el("mark", {text: m[0]}));
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.append(text.slice(last));
    return frag;
  }

  /* A snippet and its marked spans (code point offsets) as nodes. */
  function marked(text, marks) {
    const frag = document.createDocumentFragment();
    const cps = Array.from(text);
    let pos = 0;
    for (const span of marks || []) {
      const s = span[0], e = span[1];
      if (!(s >= pos && e > s && e <= cps.length)) continue;
      if (s > pos) frag.append(cps.slice(pos, s).join(""));
      frag.append(el("mark", {text: cps.slice(s, e).join("")}));
      pos = e;
    }
    if (pos < cps.length) frag.append(cps.slice(pos).join(""));
    return frag;
  }

  function formatDate(date, precision) {
    if (!date) return t("noDate");
    let m;
    if ((m = /^--(\d\d)-(\d\d)$/.exec(date))) return Number(m[2]) + "/" + Number(m[1]) + " (" + t("noYear") + ")";
    if ((m = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d:\d\d))?/.exec(date))) {
      const d = m[3] + "/" + m[2] + "/" + m[1];
      return m[4] && precision === "time" ? d + " " + m[4] : d;
    }
    if ((m = /^(\d{4})-(\d\d)$/.exec(date))) return m[2] + "/" + m[1];
    return date;
  }

  function formatPeriod(p) {
    const m = /^(\d{4})-(\d\d)$/.exec(p);
    return m ? m[2] + "/" + m[1] : p;
  }

  /* -------------------------------------------------------------- API */

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  function query(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== "" && v !== null && v !== undefined && v !== false) u.set(k, v === true ? "1" : String(v));
    }
    return u.toString();
  }

  async function api(path, params, signal) {
    const qs = params ? query(params) : "";
    const res = await fetch(path + (qs ? "?" + qs : ""), {
      signal: signal,
      headers: {Accept: "application/json"},
      credentials: "same-origin"
    });
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
    if (!res.ok) throw new ApiError((data && data.error) || res.statusText, res.status);
    return data;
  }

  /* ------------------------------------------------------------ state */

  const state = {q: "", from: "", to: "", person: "", sort: "relevance", fold: false, offset: 0};
  const LIMIT = 20;
  let lastSearchHash = "#/";
  let searchSeq = 0;
  let searchAbort = null;
  let lastResultsKey = null;
  let lastTimelineKey = null;
  let debounceTimer = null;
  let currentRoute = {view: "search"};

  function filterParams() {
    return {q: state.q, from: state.from, to: state.to, person: state.person, fold: state.fold};
  }

  function searchParams() {
    const p = filterParams();
    p.sort = state.sort === "relevance" ? "" : state.sort;
    p.offset = state.offset || "";
    return p;
  }

  function validDate(s) {
    return s === "" || /^\d{4}(-\d\d(-\d\d)?)?$/.test(s);
  }

  function hasQuery() {
    return state.q.trim() !== "" || state.from !== "" || state.to !== "" || state.person.trim() !== "";
  }

  function readInputs() {
    state.q = $("q").value;
    state.from = $("from").value.trim();
    state.to = $("to").value.trim();
    state.person = $("person").value.trim();
    state.sort = $("sort").value;
    state.fold = $("fold").checked;
  }

  function writeInputs() {
    if ($("q").value !== state.q) $("q").value = state.q;
    $("from").value = state.from;
    $("to").value = state.to;
    $("person").value = state.person;
    $("sort").value = state.sort;
    $("fold").checked = state.fold;
  }

  function stateFromParams(params) {
    state.q = params.get("q") || "";
    state.from = params.get("from") || "";
    state.to = params.get("to") || "";
    state.person = params.get("person") || "";
    const s = params.get("sort");
    state.sort = s === "date" || s === "headline" ? s : "relevance";
    state.fold = params.get("fold") === "1";
    state.offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  }

  function searchHash() {
    const qs = query(searchParams());
    return "#/" + (qs ? "?" + qs : "");
  }

  function parseHash() {
    const h = location.hash.replace(/^#/, "") || "/";
    const i = h.indexOf("?");
    const path = i < 0 ? h : h.slice(0, i);
    const params = new URLSearchParams(i < 0 ? "" : h.slice(i + 1));
    let m;
    if ((m = /^\/article\/(\d+)$/.exec(path))) return {view: "article", id: m[1], params: params};
    if ((m = /^\/person\/(\d+)$/.exec(path))) return {view: "person", id: m[1], params: params};
    if (path === "/person") return {view: "person", id: null, params: params};
    return {view: "search", params: params};
  }

  function show(view) {
    $("search-view").hidden = view !== "search";
    $("article-view").hidden = view !== "article";
    $("person-view").hidden = view !== "person";
  }

  /* ------------------------------------------------------ search view */

  function updateCsvLink() {
    const p = filterParams();
    p.sort = state.sort === "relevance" ? "" : state.sort;
    const qs = query(p);
    $("csv").setAttribute("href", "/api/export.csv" + (qs ? "?" + qs : ""));
    $("csv").setAttribute("title", t("csvTitle"));
    $("csv").classList.toggle("disabled", !hasQuery());
  }

  function setStatus(text, kind) {
    const s = $("status");
    s.textContent = text;
    s.className = "status" + (kind ? " " + kind : "");
  }

  function onInput() {
    readInputs();
    state.offset = 0;
    updateCsvLink();
    const bad = !validDate(state.from) || !validDate(state.to);
    $("from").classList.toggle("invalid", !validDate(state.from));
    $("to").classList.toggle("invalid", !validDate(state.to));
    clearTimeout(debounceTimer);
    if (bad) {
      setStatus(t("badDate"), "error");
      return;
    }
    debounceTimer = setTimeout(() => {
      const h = searchHash();
      if (location.hash !== h) history.replaceState(null, "", h);
      lastSearchHash = h;
      if (currentRoute.view !== "search") {
        location.hash = h;
        return;
      }
      runSearch();
    }, 250);
  }

  function runSearch() {
    updateCsvLink();
    if (!hasQuery()) {
      lastResultsKey = null;
      lastTimelineKey = null;
      clear($("results"));
      $("pager").hidden = true;
      $("timeline").hidden = true;
      setStatus("", "");
      showWelcome();
      return;
    }
    $("welcome").hidden = true;
    const key = query(searchParams());
    const tkey = query(filterParams());
    if (key === lastResultsKey && tkey === lastTimelineKey) return;
    if (searchAbort) searchAbort.abort();
    const ctrl = new AbortController();
    searchAbort = ctrl;
    const seq = ++searchSeq;
    setStatus(t("searching"), "busy");
    const p = searchParams();
    p.limit = LIMIT;
    const searching = api("/api/search", p, ctrl.signal);
    const timeline = tkey === lastTimelineKey ? null
      : api("/api/timeline", Object.assign(filterParams(), {by: "month"}), ctrl.signal);
    searching.then((res) => {
      if (seq !== searchSeq) return;
      lastResultsKey = key;
      renderResults(res);
    }).catch((err) => {
      if (seq !== searchSeq || err.name === "AbortError") return;
      lastResultsKey = null;
      clear($("results"));
      $("pager").hidden = true;
      $("timeline").hidden = true;
      setStatus(t("error", err.message), "error");
    });
    if (timeline) {
      timeline.then((tl) => {
        if (seq !== searchSeq) return;
        lastTimelineKey = tkey;
        renderTimeline($("timeline"), tl, true);
      }).catch(() => { /* the search reports the error */ });
    }
  }

  function renderResults(res) {
    const list = $("results");
    clear(list);
    const total = res.total;
    let status = total > 0 ? t("results", num(total)) : t("noResults");
    if (res.query && res.query.warning) status += " — " + t("note", res.query.warning);
    setStatus(status, total > 0 ? "" : "empty");
    const terms = queryTerms(state.q, state.fold);
    res.hits.forEach((h, i) => list.append(renderHit(h, terms, res.query.offset + i + 1)));
    list.setAttribute("start", String(res.query.offset + 1));
    const pager = $("pager");
    pager.hidden = total <= LIMIT;
    $("prev").disabled = state.offset <= 0;
    $("next").disabled = state.offset + res.count >= total;
    $("page-info").textContent = t("pageInfo", num(res.query.offset + (res.count ? 1 : 0)),
      num(res.query.offset + res.count), num(total));
  }

  function peopleLinks(names) {
    const span = el("span", {class: "people"});
    names.forEach((name, i) => {
      if (i) span.append(", ");
      span.append(el("a", {href: "#/person?" + query({name: name}), class: "person-link", text: name}));
    });
    return span;
  }

  function renderHit(h, terms) {
    const li = el("li", {class: "hit", "data-id": h.id});
    const snippetIsHeadline = h.snippet.replace(/^…|…$/g, "") === h.headline;
    const title = el("a", {href: "#/article/" + h.id, class: "headline"});
    title.append(snippetIsHeadline ? marked(h.snippet, h.marks) : highlighted(h.headline, terms));
    li.append(el("h3", null, title));
    const meta = el("div", {class: "meta"});
    meta.append(el("time", {datetime: h.date || null, text: formatDate(h.date, h.date_precision)}));
    if (h.publisher) meta.append(" · ", el("span", {class: "publisher", text: h.publisher}));
    if (h.people && h.people.length) meta.append(" · ", peopleLinks(h.people));
    li.append(meta);
    if (!snippetIsHeadline && h.snippet) li.append(el("p", {class: "snippet"}, marked(h.snippet, h.marks)));
    return li;
  }

  /* A bar chart of counts per month (or per year over long spans) as SVG. */
  function renderTimeline(fig, tl, pickable) {
    const host = fig.querySelector(".chart-host");
    const caption = fig.querySelector("figcaption");
    const undated = fig.querySelector(".undated");
    clear(host);
    fig.hidden = false;
    undated.textContent = tl.undated ? t("undated", num(tl.undated)) : "";
    const counts = new Map();
    for (const b of tl.buckets) counts.set(b.period, b.count);
    if (!tl.buckets.length) {
      caption.textContent = t("timelineTitle");
      host.append(el("p", {class: "muted", text: t("noDated")}));
      return;
    }
    const first = tl.buckets[0].period, last = tl.buckets[tl.buckets.length - 1].period;
    const y0 = +first.slice(0, 4), m0 = +first.slice(5, 7);
    const y1 = +last.slice(0, 4), m1 = +last.slice(5, 7);
    const months = (y1 - y0) * 12 + (m1 - m0) + 1;
    let bars = [];
    const byYear = months > 120;
    if (byYear) {
      const years = new Map();
      for (const b of tl.buckets) years.set(b.period.slice(0, 4), (years.get(b.period.slice(0, 4)) || 0) + b.count);
      for (let y = y0; y <= y1; y++) bars.push({period: String(y), label: String(y), count: years.get(String(y)) || 0});
    } else {
      for (let i = 0; i < months; i++) {
        const y = y0 + Math.floor((m0 - 1 + i) / 12), m = (m0 - 1 + i) % 12 + 1;
        const p = y + "-" + String(m).padStart(2, "0");
        bars.push({period: p, label: formatPeriod(p), count: counts.get(p) || 0});
      }
    }
    caption.textContent = byYear ? t("timelineYears") : t("timelineTitle");
    const W = 720, H = 150, L = 36, R = 8, T = 10, B = 24;
    const max = Math.max(1, ...bars.map((b) => b.count));
    const slot = Math.min(48, (W - L - R) / bars.length);
    const left = L + ((W - L - R) - slot * bars.length) / 2;
    const bw = Math.max(1, slot * 0.8);
    const chart = svg("svg", {viewBox: "0 0 " + W + " " + H, class: "timeline-chart", role: "img",
      "aria-label": t("timelineLabel")});
    chart.append(svg("title", {text: t("timelineLabel")}));
    chart.append(svg("line", {x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis"}));
    chart.append(svg("text", {x: L - 4, y: T + 8, class: "tick", "text-anchor": "end", text: num(max)}));
    chart.append(svg("text", {x: L - 4, y: H - B, class: "tick", "text-anchor": "end", text: "0"}));
    bars.forEach((b, i) => {
      const h = b.count ? Math.max(2, (b.count / max) * (H - T - B)) : 0;
      const x = left + i * slot + (slot - bw) / 2;
      const g = svg("g", {class: "bar-group" + (pickable && b.count ? " pickable" : ""), "data-period": b.period});
      g.append(svg("rect", {x: left + i * slot, y: T, width: slot, height: H - T - B, class: "hover"}));
      if (b.count) g.append(svg("rect", {x: x, y: H - B - h, width: bw, height: h, class: "bar"}));
      g.append(svg("title", {text: t("barTitle", b.label, num(b.count))}));
      if (pickable && b.count) {
        g.addEventListener("click", () => pickPeriod(b.period));
      }
      chart.append(g);
    });
    const labels = [bars[0]];
    if (bars.length > 1) labels.push(bars[bars.length - 1]);
    labels.forEach((b, i) => {
      const x = i === 0 ? left : left + slot * bars.length;
      const anchor = bars.length === 1 ? "start" : i === 0 ? "start" : "end";
      chart.append(svg("text", {x: x, y: H - 6, class: "tick", "text-anchor": anchor, text: b.label}));
    });
    host.append(chart);
  }

  function pickPeriod(period) {
    state.from = period;
    state.to = period;
    state.offset = 0;
    writeInputs();
    const h = searchHash();
    lastSearchHash = h;
    location.hash = h;
  }

  let statsCache = null;

  function showWelcome() {
    const w = $("welcome");
    w.hidden = false;
    clear(w);
    w.append(el("p", {text: t("welcome")}));
    const fill = (stats, people) => {
      if (stats) {
        w.append(el("p", {text: t("archiveStats", num(stats.articles), num(stats.people),
          num(stats.quoted_people), num(stats.publishers))}));
        if (stats.first_date) w.append(el("p", {text: t("archiveRange", formatDate(stats.first_date), formatDate(stats.last_date))}));
      }
      if (people && people.people.length) {
        w.append(el("h2", {text: t("topPeople")}));
        const ul = el("ul", {class: "chips"});
        for (const p of people.people) {
          ul.append(el("li", null, el("a", {href: "#/person/" + p.id + "?" + query({name: p.name}), text: p.name})));
        }
        w.append(ul);
      }
    };
    if (statsCache) {
      fill(statsCache[0], statsCache[1]);
      return;
    }
    Promise.all([api("/api/stats"), api("/api/people", {limit: 12})]).then((r) => {
      statsCache = r;
      if (!w.hidden && !hasQuery()) {
        clear(w);
        w.append(el("p", {text: t("welcome")}));
        fill(r[0], r[1]);
      }
    }).catch(() => { /* the welcome text is enough */ });
  }

  /* ----------------------------------------------------- article view */

  function backLink() {
    return el("a", {href: lastSearchHash, class: "back", text: t("back")});
  }

  function field(dl, label, value) {
    if (value === null || value === undefined || value === "") return;
    dl.append(el("dt", {text: label}), el("dd", null, value));
  }

  async function showArticle(id) {
    const view = $("article-view");
    clear(view);
    view.append(backLink(), el("p", {class: "status busy", text: t("loading")}));
    let a;
    try {
      a = await api("/api/articles/" + id);
    } catch (err) {
      clear(view);
      view.append(backLink(), el("p", {class: "status error", text: t("error", err.message)}));
      return;
    }
    if (currentRoute.view !== "article" || currentRoute.id !== id) return;
    const terms = queryTerms(state.q, state.fold);
    clear(view);
    view.append(backLink());
    view.append(el("h1", {class: "headline"}, highlighted(a.headline, terms)));
    const dl = el("dl", {class: "fields"});
    field(dl, t("published"), formatDate(a.date, a.date_precision));
    field(dl, t("publisher"), a.publisher);
    field(dl, t("author"), a.author);
    field(dl, t("agencies"), a.agencies.join(", "));
    const url = safeUrl(a.url);
    if (url) {
      field(dl, t("url"), el("a", {href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: a.url}));
    } else {
      field(dl, t("url"), a.url);
    }
    view.append(dl);
    if (a.lead) view.append(el("p", {class: "lead"}, highlighted(a.lead, terms)));
    const body = el("div", {class: "body"});
    for (const p of a.paragraphs) body.append(el("p", null, highlighted(p, terms)));
    view.append(body);
    if (a.people.length) {
      view.append(el("h2", {text: t("peopleInArticle")}));
      const ul = el("ul", {class: "people-list"});
      for (const p of a.people) {
        const li = el("li", null,
          el("a", {href: "#/person?" + query({name: p.name}), class: "person-link", text: p.name}));
        if (p.role) li.append(" — ", el("span", {class: "role", text: p.role}));
        if (p.quoted) li.append(" ", el("span", {class: "badge", text: t("quoted")}));
        if (p.quote) li.append(el("blockquote", {text: p.quote}));
        ul.append(li);
      }
      view.append(ul);
    }
    if (a.source_path) view.append(el("p", {class: "muted source", text: t("importedFrom") + ": " + a.source_path}));
    document.title = a.headline + " — " + t("brand");
  }

  /* ------------------------------------------------------ person view */

  async function showPerson(id, name) {
    const view = $("person-view");
    const route = currentRoute;
    clear(view);
    view.append(backLink(), el("p", {class: "status busy", text: t("loading")}));
    let p;
    try {
      if (!id) {
        /* by name: the person the name finds, the exact name first */
        const list = await api("/api/people", {q: name, limit: 50});
        const hit = list.people.find((x) => x.name === name) || list.people[0];
        if (!hit) throw new ApiError(t("notFound"), 404);
        id = String(hit.id);
        name = hit.name;
      }
      p = await api("/api/people/" + id, {name: name});
    } catch (err) {
      if (currentRoute !== route) return;
      clear(view);
      view.append(backLink(), el("p", {class: "status error", text: t("error", err.message)}));
      return;
    }
    if (currentRoute !== route) return;
    clear(view);
    view.append(backLink());
    view.append(el("h1", {text: p.name}));
    view.append(el("p", {class: "roles"}, el("strong", {text: t("roles") + ": "}),
      p.roles.length ? p.roles.join("; ") : t("noRoles")));
    view.append(el("p", {text: t("personCounts", num(p.articles), num(p.quoted_articles))}));
    if (p.first_date) view.append(el("p", {text: t("personRange", formatDate(p.first_date), formatDate(p.last_date))}));
    view.append(el("p", null, el("a", {href: "#/?" + query({person: p.name}), class: "button", text: t("searchPerson")})));
    if (p.timeline) {
      const fig = el("figure", {class: "chart"}, el("figcaption"), el("div", {class: "chart-host"}),
        el("p", {class: "muted undated"}));
      view.append(fig);
      renderTimeline(fig, p.timeline, false);
      fig.querySelector("figcaption").textContent = t("personTimeline");
    }
    view.append(el("h2", {text: t("quotes")}));
    if (!p.quotes.length) view.append(el("p", {class: "muted", text: t("noQuotes")}));
    const ql = el("ul", {class: "quotes"});
    for (const q of p.quotes) {
      const li = el("li");
      li.append(el("blockquote", {text: q.quote}));
      const cite = el("p", {class: "meta"});
      cite.append(el("time", {text: formatDate(q.date, "day")}), " · ");
      if (q.role) cite.append(el("span", {class: "role", text: q.role}), " · ");
      cite.append(el("a", {href: "#/article/" + q.article_id, text: q.headline}));
      if (q.publisher) cite.append(" · ", el("span", {class: "publisher", text: q.publisher}));
      li.append(cite);
      ql.append(li);
    }
    view.append(ql);
    view.append(el("h2", {text: t("personArticles") + " (" + num(p.article_total) + ")"}));
    const al = el("ul", {class: "article-list"});
    for (const a of p.article_list) {
      al.append(el("li", null, el("time", {text: formatDate(a.date, "day")}), " ",
        el("a", {href: "#/article/" + a.id, text: a.headline}),
        a.publisher ? el("span", {class: "publisher", text: " · " + a.publisher}) : null));
    }
    view.append(al);
    document.title = p.name + " — " + t("brand");
  }

  /* ---------------------------------------------------------- routing */

  function render() {
    const route = parseHash();
    currentRoute = route;
    show(route.view);
    closeHelp();
    if (route.view === "article") {
      showArticle(route.id);
    } else if (route.view === "person") {
      showPerson(route.id, route.params.get("name") || "");
    } else {
      stateFromParams(route.params);
      writeInputs();
      lastSearchHash = location.hash || "#/";
      document.title = (state.q ? state.q + " — " : "") + t("brand");
      runSearch();
    }
  }

  /* ------------------------------------------------------- help, lang */

  function buildHelp() {
    const tbody = $("help-table").querySelector("tbody");
    clear(tbody);
    for (const [syntax, meaning] of t("helpRows")) {
      const code = el("code", {text: syntax});
      const tr = el("tr", null, el("td", null, code), el("td", {text: meaning}));
      tr.addEventListener("click", () => {
        $("q").value = ($("q").value.trim() + " " + syntax).trim();
        closeHelp();
        $("q").focus();
        onInput();
      });
      tbody.append(tr);
    }
  }

  function openHelp() {
    $("help").hidden = false;
    $("help-btn").setAttribute("aria-expanded", "true");
  }

  function closeHelp() {
    $("help").hidden = true;
    $("help-btn").setAttribute("aria-expanded", "false");
  }

  function applyStrings() {
    document.documentElement.setAttribute("lang", lang);
    for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.getAttribute("data-i18n"));
    for (const e of document.querySelectorAll("[data-i18n-placeholder]")) {
      e.setAttribute("placeholder", t(e.getAttribute("data-i18n-placeholder")));
    }
    for (const e of document.querySelectorAll("[data-i18n-label]")) {
      e.setAttribute("aria-label", t(e.getAttribute("data-i18n-label")));
    }
    const lb = $("lang-btn");
    lb.textContent = t("langButton");
    lb.setAttribute("lang", lang === "vi" ? "en" : "vi");
    buildHelp();
    updateCsvLink();
  }

  function toggleLang() {
    lang = lang === "vi" ? "en" : "vi";
    try {
      window.localStorage.setItem("khotin.lang", lang);
    } catch (e) { /* not kept */ }
    applyStrings();
    lastResultsKey = null;
    lastTimelineKey = null;
    render();
  }

  /* ------------------------------------------------- people suggestions */

  let suggestTimer = null;
  function suggestPeople() {
    clearTimeout(suggestTimer);
    const v = $("person").value.trim();
    if (v.length < 2) return;
    suggestTimer = setTimeout(() => {
      api("/api/people", {q: v, limit: 10}).then((res) => {
        const dl = $("people-list");
        clear(dl);
        for (const p of res.people) dl.append(el("option", {value: p.name}));
      }).catch(() => { /* no suggestions */ });
    }, 200);
  }

  /* ------------------------------------------------------------ start */

  function start() {
    applyStrings();
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      clearTimeout(debounceTimer);
      readInputs();
      state.offset = 0;
      const h = searchHash();
      lastSearchHash = h;
      if (location.hash === h && currentRoute.view === "search") runSearch();
      else location.hash = h;
    });
    $("q").addEventListener("input", onInput);
    for (const id of ["from", "to", "person"]) $(id).addEventListener("input", onInput);
    $("person").addEventListener("input", suggestPeople);
    $("sort").addEventListener("change", onInput);
    $("fold").addEventListener("change", onInput);
    $("clear").addEventListener("click", () => {
      $("from").value = "";
      $("to").value = "";
      $("person").value = "";
      $("sort").value = "relevance";
      $("fold").checked = false;
      onInput();
    });
    $("prev").addEventListener("click", () => {
      state.offset = Math.max(0, state.offset - LIMIT);
      location.hash = searchHash();
    });
    $("next").addEventListener("click", () => {
      state.offset += LIMIT;
      location.hash = searchHash();
    });
    $("csv").addEventListener("click", (e) => {
      if (!hasQuery()) e.preventDefault();
    });
    $("help-btn").addEventListener("click", () => ($("help").hidden ? openHelp() : closeHelp()));
    $("help-close").addEventListener("click", closeHelp);
    $("lang-btn").addEventListener("click", toggleLang);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") closeHelp();
      if (e.key === "/" && document.activeElement && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
        e.preventDefault();
        $("q").focus();
      }
    });
    window.addEventListener("hashchange", render);
    render();
    if (currentRoute.view === "search") $("q").focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
