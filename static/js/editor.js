// The Markdown editor and @mentions. The vendored custom elements do the editing work
// (markdown-toolbar formats, file-attachment catches pasted and dropped files, text-expander
// offers completions); this script joins them to Huddle's endpoints. Without it the page is a
// plain textarea, which still works.

function csrfToken() {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

// Replace `search` in the textarea with `replacement`, keeping the caret where the user is,
// and tell the preview (htmx listens for md-changed) that the text changed.
function replaceText(textarea, search, replacement) {
  const at = textarea.value.indexOf(search);
  if (at < 0) return;
  const caret = textarea.selectionStart;
  textarea.value = textarea.value.slice(0, at) + replacement + textarea.value.slice(at + search.length);
  const shift = caret > at ? replacement.length - search.length : 0;
  textarea.selectionStart = textarea.selectionEnd = caret + shift;
  textarea.dispatchEvent(new Event("md-changed"));
}

function insertAtCaret(textarea, text) {
  const start = textarea.selectionStart;
  const before = textarea.value.slice(0, start);
  const spacer = before && !before.endsWith("\n") ? "\n" : "";
  textarea.value = before + spacer + text + "\n" + textarea.value.slice(textarea.selectionEnd);
  textarea.selectionStart = textarea.selectionEnd = start + spacer.length + text.length + 1;
}

let uploads = 0;

async function upload(editor, textarea, file) {
  const status = editor.querySelector(".md-status");
  // Pasted screenshots are all called "image.png": give each a name worth keeping.
  let name = file.name || "image.png";
  if (/^image\.(png|jpe?g|gif)$/.test(name)) {
    name = "pasted-" + new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "") + "-" + ++uploads + name.slice(name.lastIndexOf("."));
  }
  const placeholder = `![Uploading ${name}…]()`;
  insertAtCaret(textarea, placeholder);
  status.textContent = `Uploading ${name}…`;
  const data = new FormData();
  data.append("file", file, name);
  data.append("article", editor.dataset.article || "");
  try {
    const response = await fetch(editor.dataset.uploadUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const answer = response.headers.get("content-type")?.includes("json") ? await response.json() : {};
    if (!response.ok) throw new Error(answer.error || `The upload failed (${response.status}).`);
    replaceText(textarea, placeholder, answer.markdown);
    status.textContent = `${answer.name} uploaded and inserted.`;
  } catch (error) {
    replaceText(textarea, placeholder, "");
    status.textContent = error.message;
    status.classList.add("error");
  }
}

document.addEventListener("file-attachment-accepted", (event) => {
  const editor = event.target.closest(".md-editor[data-upload-url]");
  if (!editor) return;
  const textarea = editor.querySelector("textarea");
  editor.querySelector(".md-status").classList.remove("error");
  for (const attachment of event.detail.attachments) upload(editor, textarea, attachment.file);
});

// The toolbar changes the text without an input event the preview would hear.
document.addEventListener("click", (event) => {
  const button = event.target.closest("markdown-toolbar [role=button]");
  if (!button) return;
  const toolbar = button.closest("markdown-toolbar");
  const textarea = document.getElementById(toolbar.getAttribute("for"));
  if (textarea) window.setTimeout(() => textarea.dispatchEvent(new Event("md-changed")), 0);
});

// @mentions: the people whose name or username starts with what follows the @. text-expander's
// events do not bubble, so they are heard in the capture phase, which every event passes.
document.addEventListener("text-expander-change", (event) => {
  const expander = event.target;
  const { key, text, provide } = event.detail;
  if (key !== "@" || !expander.dataset.suggestUrl) return;
  const url = `${expander.dataset.suggestUrl}?q=${encodeURIComponent(text)}`;
  provide(
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => {
        const holder = document.createElement("div");
        holder.innerHTML = html;
        const list = holder.querySelector("[role=listbox]");
        return { matched: Boolean(list && list.querySelector("[role=option]")), fragment: list };
      })
      .catch(() => ({ matched: false, fragment: null })),
  );
}, true);

document.addEventListener("text-expander-value", (event) => {
  const { key, item } = event.detail;
  if (key === "@") event.detail.value = "@" + item.dataset.value;
}, true);
