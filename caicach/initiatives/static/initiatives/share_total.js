// The running total of the authors' shares under the authors table, kept current as one
// types, ticks "Xóa" or adds a row (htmx swaps the table). The server still judges the
// table: this only saves a round trip. Shares are summed in hundredths, so 33,33 + 33,33 +
// 33,34 is exactly 100 (no binary fractions).
(function () {
  "use strict";

  function hundredths(text) {
    var value = text.trim().replace(",", ".");
    if (value === "") return 0;
    if (!/^\d+(\.\d{1,2})?$/.test(value) && !/^\.\d{1,2}$/.test(value)) return null;
    return Math.round(Number(value) * 100);
  }

  function label(total) {
    var whole = Math.floor(total / 100);
    var cents = total % 100;
    if (cents === 0) return String(whole);
    var text = (cents < 10 ? "0" : "") + String(cents);
    return whole + "," + text.replace(/0$/, "");
  }

  function update(table) {
    var box = table.querySelector("[data-share-total]");
    if (!box) return;
    var total = 0;
    var readable = true;
    table.querySelectorAll('input[name$="-share"]').forEach(function (input) {
      var deleted = table.querySelector('input[name="' + input.name.replace(/-share$/, "-DELETE") + '"]');
      if (deleted && deleted.checked) return;
      var value = hundredths(input.value);
      if (value === null) readable = false;
      else total += value;
    });
    box.querySelector("output").textContent = label(total);
    box.classList.toggle("is-off", !readable || total !== 10000);
    box.classList.toggle("is-ok", readable && total === 10000);
  }

  function updateFrom(event) {
    var table = event.target.closest && event.target.closest("#author-table");
    if (table) update(table);
  }

  document.addEventListener("input", updateFrom);
  document.addEventListener("change", updateFrom);
  document.addEventListener("htmx:afterSwap", function () {
    var table = document.getElementById("author-table");
    if (table) update(table);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("author-table");
    if (table) update(table);
  });
})();
