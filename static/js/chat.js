// Chat panel (templates/cases/includes/chat_panel.html): empty the message box once htmx has sent it,
// and keep the newest message in view. No inline handlers: the page's CSP allows only files like this one.
(function () {
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("[data-chat-form]");
    if (form && event.detail.successful) {
      form.reset();
      form.querySelector("textarea").focus();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "chat-log") {
      var messages = event.target.querySelectorAll("[data-testid=chat-message]");
      if (messages.length) { messages[messages.length - 1].scrollIntoView({ block: "nearest" }); }
    }
  });
})();
