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
 * - Every table sits in a .lotse-table-scroll region (wrapped here if the template did not).
 *   A region wider than the page becomes focusable (keyboard scrolling), is named after the
 *   table's caption and shows the hint from <body data-lotse-scroll-hint>.
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

  function tableRegions(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent.classList.contains("lotse-table-scroll")) {
        if (parent.classList.contains("kern-table-responsive") && parent.children.length === 1) {
          parent.classList.add("lotse-table-scroll");
        } else {
          var wrapper = document.createElement("div");
          wrapper.className = "lotse-table-scroll";
          parent.insertBefore(wrapper, table);
          wrapper.appendChild(table);
        }
      }
    });
    markScrollingRegions(root);
  }

  function markScrollingRegions(root) {
    var hintText = document.body.getAttribute("data-lotse-scroll-hint") || "";
    root.querySelectorAll(".lotse-table-scroll").forEach(function (region) {
      var hint = region.previousElementSibling;
      if (!hint || !hint.classList.contains("lotse-table-scroll__hint")) {
        hint = document.createElement("p");
        hint.className = "lotse-table-scroll__hint kern-body kern-body--small";
        hint.textContent = hintText;
        hint.hidden = true;
        region.parentElement.insertBefore(hint, region);
      }
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      hint.hidden = !scrolls;
      if (scrolls) {
        var caption = region.querySelector("caption");
        var name = caption ? caption.textContent.trim() : "";
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", name ? name + " – " + hintText : hintText);
      } else {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
      }
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      markScrollingRegions(document);
    }, 150);
  });
  document.addEventListener("DOMContentLoaded", function () {
    tableRegions(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    tableRegions(event.detail.elt);
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-lotse-confirm]");
    if (trigger && !window.confirm(trigger.getAttribute("data-lotse-confirm"))) {
      event.preventDefault();
    }
  });
})();
