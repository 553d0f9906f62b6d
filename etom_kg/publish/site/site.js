/* etom-kg documentation site: the ru/en switch and the search over IDs and names.
   No network: the search index is search-index.js (JSON assigned to a variable, so it
   loads from file:// as well as over http). */
(function () {
  "use strict";
  var KEY = "etom-kg-lang";
  var doc = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function wanted() {
    var asked = /[?&]lang=(ru|en)(&|$)/.exec(window.location.search);
    var lang = asked ? asked[1] : stored();
    return lang === "en" || lang === "ru" ? lang : (doc.getAttribute("data-lang") || "ru");
  }
  function apply(lang) {
    doc.setAttribute("data-lang", lang);
    doc.lang = lang;
    var title = doc.getAttribute("data-title-" + lang);
    if (title) { document.title = title; }
  }
  apply(wanted());  // before the body is drawn: no flash of the other language

  function choose(lang) {
    apply(lang);
    try { window.localStorage.setItem(KEY, lang); } catch (e) { /* private mode */ }
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed",
        String(buttons[i].getAttribute("data-set-lang") === lang));
    }
    var input = document.getElementById("q");
    if (input) {
      input.placeholder = input.getAttribute("data-placeholder-" + lang) || "";
      if (input.value) { show(input.value); }
    }
  }

  function fold(text) {
    return (text || "").toLowerCase().replace(/ё/g, "е");
  }
  var items = null;
  function index() {
    if (items === null) {
      var data = window.ETOM_KG_SEARCH || {items: [], kinds: {}};
      items = data.items.map(function (item) {
        return {item: item, id: fold(item.id),
                text: fold([item.id, item.ru, item.en, item.alt].join(" "))};
      });
      items.kinds = data.kinds;
    }
    return items;
  }
  function find(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) { return []; }
    var whole = words.join(" ");
    var hits = [];
    index().forEach(function (entry, n) {
      for (var i = 0; i < words.length; i++) {
        if (entry.text.indexOf(words[i]) < 0) { return; }
      }
      var rank = entry.id === whole ? 0 : entry.id.indexOf(whole) === 0 ? 1 : 2;
      hits.push([rank, entry.item.rank || 0, n, entry.item]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits.slice(0, 40).map(function (hit) { return hit[3]; });
  }
  function element(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  function show(query) {
    var list = document.getElementById("hits");
    if (!list) { return; }
    var lang = doc.getAttribute("data-lang") || "ru";
    var root = doc.getAttribute("data-root") || "";
    list.textContent = "";
    if (!query.trim()) { return; }
    var hits = find(query);
    var kinds = index().kinds || {};
    hits.forEach(function (item) {
      var link = element("a");
      link.href = root + item.url;
      if (item.id) { link.appendChild(element("span", "id", item.id)); link.append(" "); }
      link.append(item[lang] || item.ru || item.en || "");
      var kind = kinds[item.kind] || {};
      var ext = item.ext ? " · " + ((kinds.ext || {})[lang] || "extension") : "";
      link.appendChild(element("span", "kind", (kind[lang] || "") + ext));
      var li = element("li");
      li.appendChild(link);
      list.appendChild(li);
    });
    if (!hits.length) {
      list.appendChild(element("li", "none", lang === "ru" ? "ничего не найдено" : "nothing found"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    choose(doc.getAttribute("data-lang") || "ru");
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        choose(event.currentTarget.getAttribute("data-set-lang"));
      });
    }
    var input = document.getElementById("q");
    var form = document.getElementById("search");
    if (!input || !form) { return; }
    input.addEventListener("input", function () { show(input.value); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = document.querySelector("#hits a");
      if (first) { window.location.href = first.href; }
    });
    document.addEventListener("keydown", function (event) {
      var hits = Array.prototype.slice.call(document.querySelectorAll("#hits a"));
      var at = hits.indexOf(document.activeElement);
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && hits.length &&
          (at >= 0 || document.activeElement === input)) {
        event.preventDefault();
        var next = event.key === "ArrowDown" ? at + 1 : at - 1;
        if (next < 0) { input.focus(); } else { hits[Math.min(next, hits.length - 1)].focus(); }
      } else if (event.key === "/" && document.activeElement !== input) {
        event.preventDefault();
        input.focus();
      } else if (event.key === "Escape") {
        input.value = "";
        show("");
      }
    });
  });
}());
