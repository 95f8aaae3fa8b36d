// Page behaviour the templates ask for with data attributes. The Content-Security-Policy runs
// scripts from the site only, so templates carry no inline <script> and no onclick=...; these
// listeners sit on the document and so also serve content that htmx swaps in later.

// <select data-submit-on-change>: a filter that applies as soon as it is changed.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

// <form data-confirm="question">: asks before a destructive action is sent.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
