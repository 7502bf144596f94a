/* The CSE toolkit checklist: counts ticked signs by group, in this page only.
   It stores nothing and sends nothing: no storage, no cookies, no network. */
(function () {
  "use strict";

  function update(form) {
    var total = 0;
    var significant = 0;
    var parts = [];
    form.querySelectorAll("[data-kb-group]").forEach(function (group) {
      var ticked = group.querySelectorAll("input[type=checkbox]:checked").length;
      total += ticked;
      significant += group.querySelectorAll("input[data-kb-significant=yes]:checked").length;
      group.querySelector("[data-kb-count]").textContent = ticked ? "(" + ticked + " ticked)" : "";
      if (ticked) {
        parts.push(group.dataset.kbName + ": " + ticked);
      }
    });
    var summary = form.querySelector("[data-kb-summary]");
    if (!total) {
      summary.textContent = "No signs ticked.";
      return;
    }
    summary.textContent = total + (total === 1 ? " sign" : " signs") + " ticked (" + parts.join("; ") + ")" +
      (significant ? ", " + significant + " of them significant." : ".");
  }

  function start() {
    document.querySelectorAll("[data-kb-checklist]").forEach(function (form) {
      if (form.dataset.kbReady) {
        return;
      }
      form.dataset.kbReady = "yes";
      form.addEventListener("change", function () { update(form); });
      form.addEventListener("reset", function () { window.setTimeout(function () { update(form); }, 0); });
      update(form);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);  /* Material re-renders pages without reloading them */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
