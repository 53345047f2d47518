/* The storefront's progressive enhancements; every page works without them.
   - « Ajouter au panier » (forms marked data-add-to-basket) posts the same form with
     fetch, asking for JSON: the page stays where it is, the answer is announced in the
     header's live region (#basket-status) and every [data-basket-count] is updated.
     Any other answer (an error page, a redirect to log in) falls back to a plain POST.
   - Pages served from the cache (townmarket.page_cache) carry no CSRF token: before a
     form posts, a token for this visitor is asked from /visiteur/ (which also sets its
     cookie) and added to the form. Without JavaScript the server asks once more.
   - The filters' « Filtrer » disclosure starts open on a wide screen; Escape closes the menu. */
(function () {
  "use strict";
  var clearTimer = null;

  function announce(message, ok) {
    var status = document.getElementById("basket-status");
    if (!status) { return; }
    status.classList.toggle("is-error", !ok);
    status.textContent = "";
    // a fresh text node in the polite live region, so the same message twice is read twice
    window.setTimeout(function () { status.textContent = message; }, 50);
    window.clearTimeout(clearTimer);
    clearTimer = window.setTimeout(function () { status.textContent = ""; }, 15000);
  }

  function withToken(form, then) {
    if (form.querySelector("input[name=csrfmiddlewaretoken]") || !window.fetch) { then(); return; }
    fetch("/visiteur/", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        input.value = state.csrf_token;
        form.appendChild(input);
      })
      .catch(function () { /* the server asks once more */ })
      .then(then);
  }

  function updateCounts(count) {
    var counters = document.querySelectorAll("[data-basket-count]");
    for (var i = 0; i < counters.length; i++) { counters[i].textContent = String(count); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-add-to-basket]") || !window.fetch || !window.FormData) { return; }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") { return; }
    form.setAttribute("aria-busy", "true");
    withToken(form, function () { post(form); });
  });

  function post(form) {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error("not JSON"); }
      return response.json();
    }).then(function (answer) {
      form.removeAttribute("aria-busy");
      if (typeof answer.basket_count === "number") { updateCounts(answer.basket_count); }
      announce(answer.message, answer.ok);
    }).catch(function () {
      form.removeAttribute("aria-busy");
      form.submit();  // the plain POST: Django's answer, as without JavaScript
    });
  }

  // Any other form posting from a cached page (the language switch): the token first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || form.matches("form[data-add-to-basket]") || (form.method || "").toLowerCase() !== "post"
        || form.querySelector("input[name=csrfmiddlewaretoken]") || !window.fetch) { return; }
    event.preventDefault();
    var button = event.submitter;
    withToken(form, function () {
      if (button && button.name) {  // form.submit() sends no button: keep the one pressed
        var chosen = document.createElement("input");
        chosen.type = "hidden";
        chosen.name = button.name;
        chosen.value = button.value;
        form.appendChild(chosen);
      }
      form.submit();
    });
  });

  // Escape closes the open « Menu » and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var menu = document.querySelector("details.menu-toggle[open]");
    if (menu) { menu.open = false; menu.querySelector("summary").focus(); }
  });

  function openFiltersOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 768px)").matches) { return; }
    var panels = document.querySelectorAll("details[data-open-when-wide]");
    for (var i = 0; i < panels.length; i++) { panels[i].open = true; }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openFiltersOnWideScreens);
  } else {
    openFiltersOnWideScreens();
  }
}());
