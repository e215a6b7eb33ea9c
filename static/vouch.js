// Progressive enhancement only: the form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce it (GOV.UK pattern).
  const summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();

  // "Did you mean …?" fills the field when clicked.
  document.querySelectorAll("button[data-fill]").forEach((button) => {
    button.addEventListener("click", () => {
      const input = document.getElementById(button.dataset.fill);
      if (!input) return;
      input.value = button.dataset.value;
      input.focus();
    });
  });
});
