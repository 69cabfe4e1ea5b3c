/*
 * Lotse's corrections to the markup Django's admin scripts generate (no inline script: CSP).
 *
 * SelectFilter2.js ("filter_horizontal") adds <span class="help-tooltip" aria-label="…">; a
 * span without a role may not carry aria-label (axe "aria-prohibited-attr"), so the hint
 * becomes an image with that name. The widgets are built on window "load", hence the observer.
 */
(function () {
  "use strict";

  function labelTooltips(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (tip) {
      tip.setAttribute("role", "img");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelTooltips(document);
    new MutationObserver(function () {
      labelTooltips(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
