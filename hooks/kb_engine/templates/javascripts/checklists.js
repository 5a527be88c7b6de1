/*
 * The guides' checklists: a reader can tick items, and the ticks are kept in
 * this browser only (localStorage, one entry per page), never sent anywhere.
 * Each checkbox carries the name of its item (data-kb-task, written by
 * hooks/kb_engine/tasklist.py); an item named twice on a page is told apart by its
 * place among the items of that name. Runs on every page Material's instant
 * navigation shows (document$), or once on a plain page load.
 */
(function () {
  "use strict";
  var PREFIX = "kb-checklist:";

  function storageKey() {
    return PREFIX + window.location.pathname;
  }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey()) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {}; // storage off (private mode, blocked) or unreadable: start afresh
    }
  }

  function save(ticks) {
    try {
      window.localStorage.setItem(storageKey(), JSON.stringify(ticks));
    } catch (error) {
      /* storage off or full: the tick still shows, it is just not kept */
    }
  }

  function setUp() {
    var boxes = document.querySelectorAll(".md-typeset input[type=checkbox][data-kb-task]");
    if (!boxes.length) {
      return;
    }
    var ticks = load();
    var seen = {};
    Array.prototype.forEach.call(boxes, function (box) {
      var name = box.getAttribute("data-kb-task");
      seen[name] = (seen[name] || 0) + 1;
      var id = seen[name] > 1 ? name + " #" + seen[name] : name;
      if (Object.prototype.hasOwnProperty.call(ticks, id)) {
        box.checked = ticks[id] === true;
      }
      box.addEventListener("change", function () {
        var current = load();
        current[id] = box.checked;
        save(current);
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
