// vouch's own script. Progressive enhancement only: every page works without it. No framework
// and nothing inline (the CSP forbids both); the server-rendered markup is the state, and this
// file only reacts to it. Typed values reach the page as text (textContent, value), never as
// markup or code.
"use strict";

(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  document.addEventListener("DOMContentLoaded", () => {
    const summary = $("[data-error-summary]");
    // `autofocus` does it in most browsers; this covers the rest (GOV.UK's error summary).
    if (summary && document.activeElement !== summary) summary.focus();
    $$("[data-error-summary] a[href^='#']").forEach((link) =>
      link.addEventListener("click", followSummaryLink));
    const live = $("form[data-live-form]");
    const checks = live && "fetch" in window && "AbortController" in window
      ? new LiveChecks(live) : null;
    $$("form").forEach((form) => guardSubmit(form, checks));
    $$("[data-dismiss][hidden]").forEach((button) => { button.hidden = false; });
    document.addEventListener("click", (event) => onSuggestion(event, checks));
  });

  // A summary link focuses its field with the question in view: the legend when the field is
  // near the top of its fieldset, else the label (as GOV.UK's script does).
  function followSummaryLink(event) {
    const input = document.getElementById(event.currentTarget.hash.slice(1));
    if (!input) return;
    event.preventDefault();
    const label = $(`label[for="${CSS.escape(input.id)}"]`);
    const legend = input.closest("fieldset")?.querySelector("legend");
    const near = legend &&
      input.getBoundingClientRect().top - legend.getBoundingClientRect().top < window.innerHeight / 2;
    (near ? legend : label || input).scrollIntoView();
    input.focus({ preventScroll: true });
  }

  // A running submit shows it and can't be sent twice; back/forward restores the button.
  function guardSubmit(form, checks) {
    const button = $("[data-submit]", form);
    if (!button) return;
    const idle = button.textContent;
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "yes";
      if (checks) checks.stop();
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-busy");
      button.textContent = form.action.endsWith("/compare") ? "Running both ways…" : "Checking your details…";
    });
    window.addEventListener("pageshow", () => {
      delete form.dataset.sending;
      button.removeAttribute("aria-disabled");
      button.classList.remove("is-busy");
      button.textContent = idle;
    });
  }

  // "Did you mean …?": one click takes the suggestion or leaves what was typed. Without this
  // script the accept button is a submit button carrying the suggested value.
  function onSuggestion(event, checks) {
    const button = event.target.closest("[data-accept], [data-dismiss]");
    if (!button) return;
    event.preventDefault();
    const name = button.dataset.accept || button.dataset.dismiss;
    const input = document.getElementById(name);
    if (!input) return;
    if (button.dataset.accept) input.value = button.value;
    else if (checks) checks.dismissed.add(input.value);
    document.getElementById(`${name}-suggestion`)?.remove();
    describe(input);
    input.focus();
    if (checks && button.dataset.accept) checks.check(checks.groupOf(input));
  }

  // The ids of the texts that describe an input, in reading order.
  function describe(input) {
    const ids = ["error", "note", "hint", "ok", "suggestion"]
      .map((part) => `${input.id}-${part}`)
      .filter((id) => document.getElementById(id));
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  // Each group of fields (email, phone, address) is checked through the API when the person
  // leaves it: the address once its last field, the ZIP, has been reached. Only what helps is
  // shown: checked, a suggestion, or a definite problem with what was typed — never "required"
  // for a field left blank. The submit stays the final word.
  class LiveChecks {
    constructor(form) {
      this.form = form;
      this.running = new Map(); // group → AbortController of its request
      this.sent = new Map(); // group → the values its shown state answers
      this.visited = new Set();
      this.dismissed = new Set();
      this.submit = $("[data-submit]", form);
      this.status = $("#submit-status", form);
      this.announcer = element("p", { class: "visually-hidden", "aria-live": "polite" });
      form.append(this.announcer);
      form.addEventListener("focusin", (event) => {
        const box = event.target.closest("[data-field]");
        if (box) this.visited.add(box.dataset.field);
      });
      form.addEventListener("focusout", (event) => this.left(event));
      form.addEventListener("input", (event) => this.edited(event));
      // Pressing the submit button leaves the field being typed in, whose check may answer
      // before the button is released: shown at once, the answer pushes the button down and
      // the release lands beside it, losing the click. Answers wait until the press ends.
      this.held = null;
      this.submit?.addEventListener("pointerdown", () => { this.held ??= []; });
      const release = () => setTimeout(() => this.release(), 0); // after the click, if any
      document.addEventListener("pointerup", release);
      document.addEventListener("pointercancel", release);
    }

    release() {
      const held = this.held || [];
      this.held = null;
      held.forEach((answer) => this.show(answer));
    }

    groupOf(node) {
      return node.closest("[data-group]")?.dataset.group || "";
    }

    fields(group) {
      return $$(`[data-group="${group}"]`, this.form).map((box) => box.dataset.field);
    }

    // The values the group's answer depends on, as one comparable string.
    key(group, values) {
      return JSON.stringify(this.fields(group).map((name) => values[name] || ""));
    }

    left(event) {
      const group = this.groupOf(event.target);
      if (!group || (event.relatedTarget && this.groupOf(event.relatedTarget) === group)) return;
      if (group === "address" && !this.visited.has("zip")) return;
      this.check(group);
    }

    edited(event) {
      const group = this.groupOf(event.target);
      if (!group) return;
      this.running.get(group)?.abort(); // its answer is for what was there before
      this.sent.delete(group);
      const box = event.target.closest("[data-field]");
      document.getElementById(`${box.dataset.field}-suggestion`)?.remove();
      if (box.classList.contains("field--valid")) this.render(box, null);
      else describe(event.target);
    }

    stop() {
      this.running.forEach((controller) => controller.abort());
    }

    async check(group) {
      if (!group) return;
      const values = Object.fromEntries(new FormData(this.form));
      const key = this.key(group, values);
      if (this.sent.get(group) === key) return;
      this.running.get(group)?.abort();
      if (this.fields(group).every((name) => !(values[name] || "").trim())) {
        // Nothing typed: nothing to say, and nothing to ask a provider.
        $$(`[data-group="${group}"]`, this.form).forEach((box) => this.render(box, null));
        return;
      }
      const controller = new AbortController();
      this.running.set(group, controller);
      this.progress();
      try {
        const response = await fetch(`/api/v1/check/${group}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(values),
          signal: controller.signal,
        });
        // Refused (rate limit, tokens) or failed: stay quiet, the submit will say.
        if (!response.ok) return;
        const answer = await response.json();
        const now = Object.fromEntries(new FormData(this.form));
        if (this.key(group, now) !== key) return;
        this.sent.set(group, key);
        this.show(answer);
      } catch (error) {
        if (error.name !== "AbortError") this.sent.delete(group);
      } finally {
        if (this.running.get(group) === controller) this.running.delete(group);
        this.progress();
      }
    }

    // The submit button shows that a check is running; a status line names it.
    progress() {
      const groups = [...this.running.keys()];
      this.submit.classList.toggle("is-checking", groups.length > 0);
      const names = { email: "email address", phone: "phone number", address: "address" };
      this.status.textContent = groups.length
        ? `Checking your ${groups.map((g) => names[g]).join(" and ")}…` : "";
    }

    show(answer) {
      if (this.held) {
        this.held.push(answer);
        return;
      }
      const skipped = answer.checks.every((check) => check.outcome === "skipped");
      // "Checked" only when the group's check passed as a whole (as the server renders it).
      const passed = Object.values(answer.fields).every((verdict) => verdict.status !== "invalid");
      const said = [];
      for (const [name, verdict] of Object.entries(answer.fields)) {
        const box = $(`[data-field="${name}"]`, this.form);
        const input = document.getElementById(name);
        if (!box || !input) continue;
        const blank = !input.value.trim();
        // Blank, optional or only waiting for other parts: nothing that helps to say.
        const quiet = blank || verdict.status === "empty" ||
          (verdict.status === "unverified" && skipped) || (verdict.status === "valid" && !passed);
        this.render(box, quiet ? null : verdict);
        if (!quiet) said.push(this.sentence(input, verdict));
      }
      this.announcer.textContent = said.join(" ");
    }

    sentence(input, verdict) {
      const label = $(`label[for="${input.id}"]`)?.textContent || input.id;
      if (verdict.status === "valid") {
        return verdict.suggestion ? `${label}: checked. Did you mean ${verdict.suggestion}?` : `${label}: checked.`;
      }
      return [`${label}: ${verdict.message}.`, verdict.hint || ""].join(" ").trim();
    }

    render(box, verdict) {
      const name = box.dataset.field;
      const input = document.getElementById(name);
      const status = $(".field-status", box);
      status.replaceChildren();
      box.classList.remove("field--valid", "field--invalid", "field--unverified");
      input.removeAttribute("aria-invalid");
      document.getElementById(`${name}-suggestion`)?.remove();
      if (verdict) {
        box.classList.add(`field--${verdict.status}`);
        if (verdict.status === "invalid") {
          const hidden = element("span", { class: "visually-hidden" }, "Error:");
          status.append(element("p", { class: "field-error", id: `${name}-error` }, hidden, ` ${verdict.message}`));
          input.setAttribute("aria-invalid", "true");
        } else if (verdict.status === "unverified") {
          status.append(element("p", { class: "field-note", id: `${name}-note` }, verdict.message));
        }
        if (verdict.hint) status.append(element("p", { class: "field-hint", id: `${name}-hint` }, verdict.hint));
        if (verdict.status === "valid") {
          status.append(element("p", { class: "field-ok", id: `${name}-ok` }, "Checked"));
          this.unlist(name);
        }
        if (verdict.suggestion && !this.dismissed.has(input.value)) input.after(suggestion(name, verdict.suggestion));
      }
      describe(input);
    }

    // A field fixed since the submit leaves the error summary; an empty summary goes.
    unlist(name) {
      const link = $(`[data-error-summary] a[href="#${name}"]`);
      if (!link) return;
      const list = link.closest("ul");
      link.closest("li").remove();
      if (list && !list.children.length) $("[data-error-summary]")?.remove();
    }
  }

  function suggestion(name, value) {
    return element("div", { class: "suggestion", id: `${name}-suggestion` },
      element("p", {}, "Did you mean ", element("strong", {}, value), "?"),
      element("button", { type: "button", class: "button-secondary", "data-accept": name, value }, `Yes, use ${value}`),
      " ",
      element("button", { type: "button", class: "link-button", "data-dismiss": name }, "No, keep what I typed"));
  }
})();
