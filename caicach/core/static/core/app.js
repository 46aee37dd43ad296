// The site's own small behaviours; every page works without them.
// - The menu button: on a narrow screen the main navigation folds behind one button (the
//   list would otherwise take the whole first screen). Without this script the button
//   stays hidden and the navigation stays open.
// - The error summary of a refused form takes the focus, so a screen reader announces it and
//   the keyboard starts there; its links move the focus to the field, its label in view.
(function () {
  "use strict";

  var NARROW = "(max-width: 48rem)";

  function setUpMenu() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (!button || !nav) return;
    document.documentElement.classList.add("has-nav-toggle");
    button.hidden = false;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open") && window.matchMedia(NARROW).matches) {
        setOpen(false);
        button.focus();
      }
    });
  }

  function setUpErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "start" });
      var target = field.matches("input, select, textarea, button") ? field : field.querySelector("input, select, textarea");
      if (target) target.focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpErrorSummary();
  });
})();
