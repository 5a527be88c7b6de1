/*
 * Search answers the question as typed, not every keystroke of it.
 *
 * Material's search sends its worker one query per keystroke, and the worker
 * answers them in turn: on a large site (a 7.9 MB index at 1,000 posts) each
 * answer takes 0.5-1 s, so the results for a whole question came some 14 s
 * after its last key. This script, loaded before Material's bundle, gives the
 * search worker a post box that holds at most one query while another is
 * being answered, and sends only the newest when the answer comes: every
 * answer the page shows is still the worker's own, for a query the reader
 * typed, and the last one is always for the whole question.
 *
 * Written against Material for MkDocs 9.8's worker messages (0 setup,
 * 1 ready, 2 query, 3 result); any other message passes straight through.
 * Without Worker support, or for any other worker, nothing changes.
 */
(function () {
  "use strict";
  var Original = window.Worker;
  if (typeof Original !== "function") return;
  var QUERY = 2, RESULT = 3;

  function LatestQueryWorker(url, options) {
    var worker = options === undefined ? new Original(url) : new Original(url, options);
    if (!/search/.test(String(url))) return worker;
    var send = worker.postMessage.bind(worker);
    var busy = false;
    var waiting = null;  // the newest query typed while another was being answered
    worker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== RESULT) return;
      if (waiting !== null) {
        var next = waiting;
        waiting = null;
        send(next);
      } else {
        busy = false;
      }
    });
    worker.postMessage = function (message, transfer) {
      if (message && message.type === QUERY) {
        if (busy) {
          waiting = message;
          return;
        }
        busy = true;
      }
      return transfer === undefined ? send(message) : send(message, transfer);
    };
    return worker;
  }
  LatestQueryWorker.prototype = Original.prototype;
  window.Worker = LatestQueryWorker;
})();
