/* The CSE toolkit checklist: counts ticks in this page only, vulnerability factors and warning signs apart,
   and shows "refer now" as soon as a significant warning sign is ticked.
   It stores nothing and sends nothing: no storage, no cookies, no network. */
(function () {
  "use strict";

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function update(form) {
    var factors = 0;
    var signs = 0;
    var significant = 0;
    var parts = [];
    form.querySelectorAll("[data-kb-group]").forEach(function (group) {
      var ticked = group.querySelectorAll("input[type=checkbox]:checked").length;
      if (group.dataset.kbKind === "vulnerability") {
        factors += ticked;
      } else {
        signs += ticked;
        significant += group.querySelectorAll("input[data-kb-significant=yes]:checked").length;
      }
      group.querySelector("[data-kb-count]").textContent = ticked ? "(" + ticked + " ticked)" : "";
      if (ticked) {
        parts.push(group.dataset.kbName + ": " + ticked);
      }
    });
    var summary = form.querySelector("[data-kb-summary]");
    var referNow = form.querySelector("[data-kb-refer-now]");
    if (referNow) {
      referNow.hidden = significant === 0;
    }
    if (!factors && !signs) {
      summary.textContent = "Nothing ticked.";
      return;
    }
    var text = "Vulnerability factors: " + factors + ". Warning signs: " + signs +
      (signs ? " (" + plural(significant, "significant", "significant") + ")" : "") + ". By group: " +
      parts.join("; ") + ".";
    if (significant) {
      text += " A significant warning sign is ticked: refer now.";
    }
    summary.textContent = text;
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
