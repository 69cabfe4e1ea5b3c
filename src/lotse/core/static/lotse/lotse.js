/*
 * Lotse page behaviour. Loaded with `defer` on every page; no inline script anywhere (CSP).
 *
 * - htmx sends the CSRF token from <meta name="csrf-token"> with every non-GET request.
 * - A form error summary ([data-lotse-error-summary]) takes focus on load, so keyboard and
 *   screen-reader users land on the list of problems (each links to its field).
 * - Elements with [data-lotse-confirm] ask before a submit/click goes ahead.
 * - The main navigation collapses behind a disclosure button on narrow screens
 *   (.lotse-nav__toggle, aria-expanded); Escape closes it and returns the focus to the button.
 *   Without script the button stays hidden and the list open.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "get").toLowerCase();
    if (verb !== "get") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-lotse-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail.elt);
  });

  function setNavOpen(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".lotse-nav__toggle").forEach(function (toggle) {
      var nav = toggle.closest(".lotse-nav");
      nav.classList.add("lotse-nav--collapsible");
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        setNavOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
      });
      nav.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
          setNavOpen(toggle, false);
          toggle.focus();
        }
      });
    });
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-lotse-confirm]");
    if (trigger && !window.confirm(trigger.getAttribute("data-lotse-confirm"))) {
      event.preventDefault();
    }
  });
})();
