// Progressive enhancement only: every control works as a plain GET form without this file.
// Ticking a facet or changing the sort submits at once (back to page 1), and empty fields are
// left out so the URL (the whole search state) stays short and shareable.
//
// The URL is the truth, and the server rendered it into the controls' default state (checked,
// selected, value attributes; loosely typed values such as ?partner=vnpt already matched to
// VNPT). When the browser shows this page again (Back/Forward, bfcache), every control is put
// back to that rendered state: a submit disables empty fields to keep them out of the URL, and a
// page restored from bfcache or by form restoration would otherwise come back greyed out, with
// the ticks made just before leaving (so the next tick would re-apply a removed filter).
(function () {
  var form = document.getElementById("search");
  if (!form) return;
  var FOCUS_KEY = "cds-focus";

  function controls() { return form.querySelectorAll("input, select"); }

  function syncFromUrl() {
    controls().forEach(function (el) {
      el.disabled = false;
      if (el.type === "checkbox") {
        el.checked = el.defaultChecked;
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = o.defaultSelected; });
      } else if (el.type !== "hidden" && el.type !== "submit") {
        el.value = el.defaultValue;
      }
    });
  }

  function rememberFocus() {
    var el = document.activeElement;
    if (el && el.name && form.contains(el)) {
      try { sessionStorage.setItem(FOCUS_KEY, JSON.stringify({name: el.name, value: el.type === "checkbox" ? el.value : null})); }
      catch (e) { /* private mode: focus simply starts at the top */ }
    }
  }

  function restoreFocus() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null"); sessionStorage.removeItem(FOCUS_KEY); }
    catch (e) { return; }
    if (!saved) return;
    var match = Array.prototype.filter.call(controls(), function (el) {
      return el.name === saved.name && (saved.value === null || el.value === saved.value);
    })[0];
    if (match) { match.focus({preventScroll: false}); }
    else {                      // the control is gone (a facet value with no hits left): the results
      var results = document.getElementById("results");
      if (results) results.focus();
    }
  }

  function submit() {
    rememberFocus();
    // A tick made inside the phone drawer reopens the drawer on the new page, focus on that tick.
    var drawer = document.getElementById("filters");
    if (drawer && drawer.contains(document.activeElement) && getComputedStyle(drawer).position === "fixed" &&
        window.matchMedia("(max-width: 800px)").matches) {
      form.action = form.action.split("#")[0] + "#filters";
    }
    controls().forEach(function (el) {
      if (!el.name || (el.type !== "checkbox" && el.value === "") ||
          (el.name === "sort" && el.value === "relevance")) el.disabled = true;
    });
    form.submit();
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); submit(); });
  form.querySelectorAll('.facet input[type=checkbox], select[name=sort]').forEach(function (el) {
    el.addEventListener("change", submit);
  });
  form.querySelectorAll('input[type=date]').forEach(function (el) {
    el.addEventListener("change", function () { if (!el.value || el.value.length === 10) submit(); });
  });
  // Links that change the search (chips, presets, pager) keep focus on the same kind of link.
  document.querySelectorAll("a.active-filter, a.preset, .pager a").forEach(function (a) {
    a.addEventListener("click", function () {
      try { sessionStorage.setItem(FOCUS_KEY, JSON.stringify({name: "results", value: null})); } catch (e) {}
    });
  });
  var apply = form.querySelector("button.apply");
  if (apply) apply.hidden = true;

  window.addEventListener("pageshow", function (ev) {
    syncFromUrl();
    if (ev.persisted) return;    // restored from bfcache: focus is where the user left it
    restoreFocus();
  });
})();

// The subscribe page (/subscribe): select the feed address on focus, and a copy button where the
// browser offers a clipboard. Here, not inline in the page: the Content-Security-Policy allows no
// inline script or event handler (search_ui/security_headers.py).
(function () {
  var input = document.getElementById("feed-url"), button = document.getElementById("copy-feed");
  if (!input) return;
  input.addEventListener("focus", function () { input.select(); });
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      document.getElementById("copy-status").textContent = "Đã sao chép địa chỉ.";
    });
  });
})();
