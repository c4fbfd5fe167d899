// derive serve: the pages' only script. It talks to this server alone (no CDN, no other host).
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

async function postJSON(url, body) {
  const response = await fetch(url, {method: "POST", headers: {"content-type": "application/json"},
                                     body: JSON.stringify(body)});
  return [response.status, await response.json()];
}

// Practice: a live preview of how the parser read the answer, rendered as MathML.
function setupPreview() {
  const form = document.getElementById("practice");
  const input = document.getElementById("answer");
  const preview = document.getElementById("preview");
  if (!form || !input || !preview) return;
  let asked = 0;
  const show = debounce(async () => {
    const ticket = ++asked;
    if (!input.value.trim()) { preview.textContent = ""; preview.className = "preview"; return; }
    try {
      const [status, data] = await postJSON("/api/preview", {answer: input.value, model: form.dataset.model});
      if (ticket !== asked) return;                 // a later keystroke has its own answer
      if (status === 200) {
        preview.className = "preview read";
        preview.innerHTML = "Read as: " + data.mathml; // MathML written and escaped by the server
        preview.dataset.reading = data.reading;
      } else {
        preview.className = "preview error";
        preview.textContent = data.error || ("error " + status);
        delete preview.dataset.reading;
      }
    } catch (error) {
      preview.className = "preview error";
      preview.textContent = "the preview is not available: " + error;
    }
  }, 200);
  input.addEventListener("input", show);
  if (input.value) show();
}

// The lab: redraw the chart when a control changes, without reloading the page.
function setupChart() {
  const form = document.getElementById("controls");
  const chart = document.getElementById("chart");
  const text = document.getElementById("crossover-text");
  if (!form || !chart) return;
  const redraw = debounce(async () => {
    const query = new URLSearchParams(new FormData(form)).toString();
    const response = await fetch("/lab/chart?" + query);
    const data = await response.json();
    if (response.status === 200) {
      chart.innerHTML = data.svg;                    // SVG drawn and escaped by the server
      text.innerHTML = "";
      text.append("Crossover at these values: ");
      const strong = document.createElement("strong");
      strong.textContent = data.first_call ? "call " + data.first_call : "never";
      text.append(strong);
      text.classList.remove("error");
      history.replaceState(null, "", "/lab?" + query);
    } else {
      text.textContent = data.error;
      text.classList.add("error");
    }
  }, 150);
  form.querySelectorAll("input.control").forEach((input) => input.addEventListener("input", redraw));
}

document.addEventListener("DOMContentLoaded", () => { setupPreview(); setupChart(); });
