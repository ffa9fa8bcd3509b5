/* Console Sandbox: the behaviour of the design system's components (static/css/console.css).
   One file, no inline scripts or handlers (the Content-Security-Policy forbids them).
   Everything works by event delegation or by scanning after each htmx swap, so content
   swapped in by htmx behaves like content of the first page load. */
(function () {
  "use strict";

  /* ---- Flash bar: dismiss a banner ---- */
  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (!dismiss) return;
    var banner = dismiss.closest("[data-flash]");
    if (banner) banner.remove();
  });

  /* ---- Copy to clipboard (IDs, ARNs) ---- */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { area.remove(); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var status = button.parentElement.querySelector(".copy-status");
    copyText(button.dataset.copy).then(function () {
      if (status) status.textContent = "Copied";
      window.setTimeout(function () { if (status) status.textContent = ""; }, 2500);
    }, function () {
      if (status) status.textContent = "Copy failed: select the text instead";
    });
  });

  /* ---- Confirmation modal (templates/includes/confirm_modal.html) ---- */
  var pending = null; // {proceed: function}

  function openConfirm(source, proceed) {
    var modal = document.getElementById("confirm-modal");
    if (!modal || typeof modal.showModal !== "function") { proceed(); return; }
    var expected = source.dataset.confirmType || "";
    modal.querySelector("#confirm-modal-title").textContent = source.dataset.confirm || "Are you sure?";
    modal.querySelector("#confirm-modal-body").textContent = source.dataset.confirmBody || "";
    var accept = modal.querySelector("[data-confirm-accept]");
    accept.textContent = source.dataset.confirmButton || "Confirm";
    var typing = modal.querySelector("[data-confirm-typing]");
    var input = modal.querySelector("#confirm-modal-input");
    typing.hidden = !expected;
    input.value = "";
    modal.querySelector("[data-confirm-expected]").textContent = expected;
    accept.disabled = Boolean(expected);
    input.oninput = function () { accept.disabled = input.value !== expected; };
    pending = { proceed: proceed };
    modal.returnValue = "";
    modal.showModal();
    (expected ? input : accept).focus();
  }

  document.addEventListener("close", function (event) {
    if (!event.target.matches || !event.target.matches("#confirm-modal")) return;
    var decided = pending;
    pending = null;
    if (decided && event.target.returnValue === "confirm") decided.proceed();
  }, true);

  // Forms: ask before submitting (capture phase, so htmx's own submit handler waits for the answer).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || form.dataset.confirm === undefined) return;
    if (form.dataset.confirmed === "true") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter || null;
    openConfirm(form, function () {
      form.dataset.confirmed = "true";
      if (submitter && submitter.form === form) form.requestSubmit(submitter); else form.requestSubmit();
    });
  }, true);

  // htmx elements that are not forms (a button with hx-post) ask the same way.
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (!element || element.tagName === "FORM" || element.dataset.confirm === undefined) return;
    event.preventDefault();
    openConfirm(element, function () { event.detail.issueRequest(true); });
  });

  /* ---- Submit buttons rest while their request is in flight ---- */
  function setBusy(form, busy) {
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
      if (busy) {
        button.setAttribute("aria-disabled", "true");
        button.classList.add("is-busy");
      } else {
        button.removeAttribute("aria-disabled");
        button.classList.remove("is-busy");
      }
    });
    if (busy) form.dataset.inFlight = "true"; else delete form.dataset.inFlight;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post") return; // a GET form may only filter or download: the page stays usable
    if (form.dataset.inFlight === "true") { // a second click while the first request runs
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    // aria-disabled, not disabled: a disabled submitter would drop its name=value from the request.
    setBusy(form, true);
    window.setTimeout(function () { setBusy(form, false); }, 20000); // never stuck for good
  }, true);
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form) setBusy(form, false);
  });
  window.addEventListener("pageshow", function () { // back/forward cache: the page comes back as it was left
    document.querySelectorAll("form[data-in-flight]").forEach(function (form) { setBusy(form, false); });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[aria-disabled=true]");
    if (button && button.matches("button, a")) event.preventDefault();
  }, true);

  /* ---- Error summary: focus it when a form comes back with errors; its links focus the field ---- */
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]:not([data-announced])");
    if (summary) {
      summary.dataset.announced = "true";
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[data-field]");
    if (!link) return;
    var form = link.closest("form") || document;
    var field = form.querySelector('[name="' + CSS.escape(link.dataset.field) + '"]:not([type=hidden])');
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });

  /* ---- "N characters remaining" under every field with data-counter-limit ---- */
  function attachCounter(input) {
    if (input.dataset.counterReady) return;
    input.dataset.counterReady = "1";
    var limit = parseInt(input.dataset.counterLimit, 10);
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.id = input.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", counter);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
    function update() {
      var left = limit - input.value.length;
      counter.textContent = left >= 0 ? left + " characters remaining" : -left + " characters over the limit of " + limit;
      counter.classList.toggle("over", left < 0);
    }
    input.addEventListener("input", update);
    update();
  }

  /* ---- Tabs: role=tablist of buttons role=tab aria-controls=<panel id> ---- */
  function selectTab(tab, focus) {
    var list = tab.closest("[role=tablist]");
    list.querySelectorAll("[role=tab]").forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
    if (focus) tab.focus();
    if (tab.dataset.tabHash !== undefined && history.replaceState) history.replaceState(null, "", "#" + tab.getAttribute("aria-controls"));
  }
  function setUpTabs(root) {
    root.querySelectorAll("[data-tabs] [role=tablist]").forEach(function (list) {
      if (list.dataset.tabsReady) return;
      list.dataset.tabsReady = "1";
      var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
      var fromHash = tabs.filter(function (tab) { return "#" + tab.getAttribute("aria-controls") === location.hash; })[0];
      var current = fromHash || tabs.filter(function (tab) { return tab.getAttribute("aria-selected") === "true"; })[0] || tabs[0];
      if (current) selectTab(current, false);
    });
  }
  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[data-tabs] [role=tab]");
    if (tab) selectTab(tab, false);
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("[data-tabs] [role=tab]");
    if (!tab) return;
    var tabs = Array.prototype.slice.call(tab.closest("[role=tablist]").querySelectorAll("[role=tab]"));
    var index = tabs.indexOf(tab);
    var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], true);
  });

  /* ---- Info help panel: a button data-help-open=<aside id> ---- */
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-help-open]");
    if (opener) {
      var panel = document.getElementById(opener.dataset.helpOpen);
      if (panel) {
        panel.hidden = false;
        panel.dataset.openedBy = opener.id || "";
        opener.setAttribute("aria-expanded", "true");
        var heading = panel.querySelector("h2");
        if (heading) { heading.tabIndex = -1; heading.focus(); }
      }
      return;
    }
    var closer = event.target.closest("[data-help-close]");
    if (closer) {
      var aside = closer.closest(".help-panel");
      aside.hidden = true;
      var back = document.querySelector('[data-help-open="' + aside.id + '"]');
      if (back) { back.setAttribute("aria-expanded", "false"); back.focus(); }
    }
  });

  /* ---- Tables: row selection enables the Actions menu's items ---- */
  function syncSelection(table) {
    var selected = table.querySelectorAll(".row-select:checked").length;
    table.querySelectorAll("[data-needs-selection]").forEach(function (action) {
      var needs = action.dataset.needsSelection === "one" ? selected === 1 : selected > 0;
      action.disabled = !needs;
    });
    var count = table.querySelector("[data-selection-count]");
    if (count) count.textContent = selected ? selected + " selected" : "";
  }
  document.addEventListener("change", function (event) {
    if (!event.target.matches(".row-select, .row-select-all")) return;
    var table = event.target.closest("[data-selectable]");
    if (!table) return;
    if (event.target.matches(".row-select-all")) {
      table.querySelectorAll(".row-select").forEach(function (box) { box.checked = event.target.checked; });
    }
    syncSelection(table);
  });

  /* ---- Menus (<details class="menu">): Escape and a click elsewhere close them ---- */
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.menu[open]");
    if (menu) { menu.open = false; menu.querySelector("summary").focus(); }
  });

  /* ---- Start, and again on what each htmx swap brings in ---- */
  function scan() {
    document.querySelectorAll("[data-counter-limit]").forEach(attachCounter);
    setUpTabs(document);
    document.querySelectorAll("[data-selectable]").forEach(syncSelection);
    focusErrorSummary();
    document.documentElement.dataset.consoleReady = "true"; // browser tests wait on this, not on time
  }
  document.addEventListener("htmx:afterSettle", scan);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan); else scan();
})();
