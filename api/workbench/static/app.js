// cashmatch workbench: keyboard navigation and confirmations. The pages
// work without this script; it only adds shortcuts.
//
//   j / ArrowDown   next row (queue) or next exception (detail page)
//   k / ArrowUp     previous row or previous exception
//   Enter / o       open the selected row
//   a               apply the selected row's (or the page's) top suggestion
//   /               focus the first filter field
"use strict";

(function () {
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  // Forms with data-confirm ask before they submit.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  });

  var rows = Array.prototype.slice.call(document.querySelectorAll("table.nav tbody tr[data-href]"));
  var current = -1;

  function select(i) {
    if (rows.length === 0) {
      return;
    }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) {
      rows[current].classList.remove("selected");
      rows[current].removeAttribute("aria-selected");
    }
    current = i;
    rows[i].classList.add("selected");
    rows[i].setAttribute("aria-selected", "true");
    rows[i].scrollIntoView({ block: "nearest" });
  }

  function follow(rel) {
    var link = document.querySelector('a[rel="' + rel + '"][data-key]');
    if (link) {
      window.location.assign(link.href);
    }
  }

  function submit(form) {
    if (form && (!form.getAttribute("data-confirm") || window.confirm(form.getAttribute("data-confirm")))) {
      form.submit();
    }
  }

  rows.forEach(function (row, i) {
    row.addEventListener("click", function (ev) {
      if (ev.target.closest("a, button, input, select, textarea, label")) {
        return;
      }
      select(i);
      window.location.assign(row.getAttribute("data-href"));
    });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) {
      return;
    }
    var handled = true;
    switch (ev.key) {
      case "j":
      case "ArrowDown":
        if (rows.length) {
          select(current + 1);
        } else if (ev.key === "j") {
          follow("next");
        } else {
          handled = false;
        }
        break;
      case "k":
      case "ArrowUp":
        if (rows.length) {
          select(current - 1);
        } else if (ev.key === "k") {
          follow("prev");
        } else {
          handled = false;
        }
        break;
      case "Enter":
      case "o":
        if (current >= 0) {
          window.location.assign(rows[current].getAttribute("data-href"));
        } else {
          handled = false;
        }
        break;
      case "a":
        if (current >= 0) {
          submit(rows[current].querySelector("form.apply"));
        } else {
          submit(document.querySelector("form.apply.top"));
        }
        break;
      case "/":
        var field = document.querySelector("form.filters input, form.filters select");
        if (field) {
          field.focus();
        } else {
          handled = false;
        }
        break;
      default:
        handled = false;
    }
    if (handled) {
      ev.preventDefault();
    }
  });
})();
