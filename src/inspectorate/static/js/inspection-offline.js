/*
 * The inspection form, offline first.
 *
 * Every change is kept on this device before anything is sent: answers and findings in
 * localStorage, photos in IndexedDB. A queue sends them to the API in order, each with an
 * Idempotency-Key that is fixed when the change is queued, so a request that is retried
 * (the network dropped, the answer was lost) is applied once. An answer carries the
 * revision it was made on; when the server's answer changed meanwhile the server refuses
 * it as a conflict, and the page shows both values for the officer to choose.
 */
(function () {
  "use strict";

  const root = document.getElementById("inspection");
  if (!root || root.dataset.editable !== "1") return;
  const id = root.dataset.id;
  const api = root.dataset.api; // /api/v1/inspections/<id>/
  const i18n = JSON.parse(document.getElementById("inspection-i18n").textContent);
  const server = JSON.parse(document.getElementById("inspection-state").textContent);
  const STORE = "inspectorate:inspection:" + id;
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- the state kept on this device ---------------------------------------------------
  function load() {
    try {
      return JSON.parse(localStorage.getItem(STORE)) || {};
    } catch (e) {
      return {};
    }
  }
  const state = Object.assign(
    { queue: [], pending: {}, conflicts: [], failures: [], uuidMap: {} },
    load()
  );
  for (const f of server.findings) state.uuidMap[f.uuid] = f.id;
  function save() {
    localStorage.setItem(STORE, JSON.stringify(state));
    render();
  }

  // --- photos in IndexedDB -------------------------------------------------------------
  function idb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("inspectorate-offline", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("photos");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  function idbDo(mode, fn) {
    return idb().then(
      (db) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction("photos", mode);
          const result = fn(tx.objectStore("photos"));
          tx.oncomplete = () => resolve(result.result);
          tx.onerror = () => reject(tx.error);
        })
    );
  }
  const photoPut = (key, value) => idbDo("readwrite", (s) => s.put(value, key));
  const photoGet = (key) => idbDo("readonly", (s) => s.get(key));
  const photoDelete = (key) => idbDo("readwrite", (s) => s.delete(key));

  let position = null; // the device's position, where the browser gives it
  if (navigator.geolocation) {
    try {
      navigator.geolocation.getCurrentPosition(
        (p) => (position = { lat: p.coords.latitude.toFixed(6), lon: p.coords.longitude.toFixed(6) }),
        () => {},
        { timeout: 5000, maximumAge: 600000 }
      );
    } catch (e) {
      /* not available: photos carry their own EXIF position, if any */
    }
  }

  // --- answers -------------------------------------------------------------------------
  const rows = Array.from(root.querySelectorAll(".answer[data-answer]"));
  const rowById = Object.fromEntries(rows.map((r) => [r.dataset.answer, r]));

  function showAnswer(aid, result, note) {
    const row = rowById[aid];
    if (!row) return;
    row.querySelectorAll("input[type=radio]").forEach((r) => (r.checked = r.value === result));
    row.querySelector("input.note").value = note || "";
    row.dataset.result = result || "";
    row.classList.toggle("unanswered", !result);
  }

  function answerChanged(row) {
    const aid = row.dataset.answer;
    const checked = row.querySelector("input[type=radio]:checked");
    const note = row.querySelector("input.note").value.trim();
    const before = state.pending[aid];
    state.pending[aid] = {
      answer_id: Number(aid),
      result: checked ? checked.value : "",
      note: note,
      base_revision: before ? before.base_revision : Number(row.dataset.revision),
    };
    row.dataset.result = checked ? checked.value : "";
    row.classList.toggle("unanswered", !checked);
    save();
    soon();
  }

  rows.forEach((row) => {
    row.querySelectorAll("input[type=radio]").forEach((r) => r.addEventListener("change", () => answerChanged(row)));
    row.querySelector("input.note").addEventListener("change", () => answerChanged(row));
  });

  // Move answers that have a result into one queued request, with its own key.
  function flushPending() {
    const answers = Object.values(state.pending).filter((a) => a.result);
    if (!answers.length) return;
    for (const a of answers) delete state.pending[String(a.answer_id)];
    state.queue.push({ key: uuid(), kind: "sync", url: api + "sync/", body: { answers: answers } });
  }

  // --- findings and photos -------------------------------------------------------------
  function queuePhotos(findingUuid, files) {
    const now = new Date();
    return Promise.all(
      Array.from(files).map((file) => {
        const key = uuid();
        return photoPut(key, { blob: file, name: file.name, type: file.type }).then(() => {
          state.queue.push({
            key: key,
            kind: "photo",
            finding: findingUuid,
            name: file.name,
            taken_at: new Date(file.lastModified || now).toISOString(),
            lat: position ? position.lat : "",
            lon: position ? position.lon : "",
          });
        });
      })
    );
  }

  root.querySelectorAll(".add-finding").forEach((button) => {
    button.addEventListener("click", () => {
      const form = button.closest(".finding-form");
      const row = button.closest(".answer");
      const field = (name) => form.querySelector("[name=" + name + "]");
      const description = field("description").value.trim();
      const errors = form.querySelector(".field-errors");
      if (!description) {
        showErrors(errors, [field("description").previousElementSibling.textContent + ": " + i18n.failed]);
        return;
      }
      const findingUuid = uuid();
      const body = {
        uuid: findingUuid,
        answer_id: Number(row.dataset.answer),
        description: description,
        location: field("location").value.trim(),
        grade: field("grade").value,
        violated_article: field("violated_article").value.trim(),
        criterion: field("criterion").value.trim(),
      };
      // The line becomes a finding in the same request as the finding itself.
      const aid = row.dataset.answer;
      const note = row.querySelector("input.note").value.trim();
      const base = state.pending[aid] ? state.pending[aid].base_revision : Number(row.dataset.revision);
      delete state.pending[aid];
      flushPending();
      state.queue.push({
        key: uuid(),
        kind: "sync",
        url: api + "sync/",
        body: { answers: [{ answer_id: Number(aid), result: "finding", note: note, base_revision: base }], findings: [body] },
      });
      showAnswer(aid, "finding", note);
      localFinding(row, body);
      queuePhotos(findingUuid, field("photos").files).then(() => {
        field("description").value = "";
        field("location").value = "";
        field("photos").value = "";
        form.open = false;
        showErrors(errors, []);
        save();
        soon();
      });
    });
  });

  root.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-photo-for]")) return;
    queuePhotos(input.dataset.photoFor, input.files).then(() => {
      input.value = "";
      save();
      soon();
    });
  });

  function localFinding(row, body) {
    const li = document.createElement("li");
    li.dataset.uuid = body.uuid;
    li.className = "local";
    li.textContent = body.description + (body.location ? "（" + body.location + "）" : "") + " — " + i18n.pending;
    row.querySelector("ul.findings").appendChild(li);
  }

  // --- measures, signature, closing ----------------------------------------------------
  const measureForm = root.querySelector(".measure-form");
  if (measureForm) {
    measureForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const items = measureForm.items.value
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [name, quantity, location] = l.split("|").map((x) => (x || "").trim());
          return { name: name, quantity: quantity || "", location: location || "" };
        });
      const findings = Array.from(measureForm.querySelectorAll("input[name=findings]:checked")).map((c) => Number(c.value));
      state.queue.push({
        key: uuid(),
        kind: "measure",
        url: api + "measures/",
        body: {
          kind: measureForm.kind.value,
          findings: findings,
          description: measureForm.description.value,
          items: items,
          due_date: measureForm.due_date.value || null,
        },
      });
      save();
      run();
    });
  }
  const signForm = root.querySelector(".sign-form");
  if (signForm) {
    signForm.addEventListener("submit", (event) => {
      event.preventDefault();
      state.queue.push({
        key: uuid(),
        kind: "sign",
        url: api + "sign/",
        body: {
          handling: signForm.handling.value,
          unit_head_name: signForm.unit_head_name.value,
          signature: signForm.signature.value,
          refusal_note: signForm.refusal_note.value,
        },
      });
      save();
      run();
    });
  }
  const closeButton = root.querySelector(".close-inspection");
  if (closeButton) {
    closeButton.addEventListener("click", () => {
      state.queue.push({ key: uuid(), kind: "close", url: api + "close/", body: {} });
      save();
      run();
    });
  }

  // --- sending ---------------------------------------------------------------------------
  async function send(op) {
    const headers = { "X-CSRFToken": csrf, "Idempotency-Key": op.key };
    if (op.kind === "photo") {
      const findingId = state.uuidMap[op.finding];
      if (!findingId) return null; // its finding was refused: nothing to attach to
      const stored = await photoGet(op.key);
      if (!stored) return null;
      const data = new FormData();
      data.append("file", stored.blob, stored.name);
      if (op.taken_at) data.append("taken_at", op.taken_at);
      if (op.lat) data.append("latitude", op.lat);
      if (op.lon) data.append("longitude", op.lon);
      return fetch("/api/v1/findings/" + findingId + "/evidence/", {
        method: "POST", headers: headers, body: data, credentials: "same-origin",
      });
    }
    headers["Content-Type"] = "application/json";
    return fetch(op.url, {
      method: "POST", headers: headers, body: JSON.stringify(op.body), credentials: "same-origin",
    });
  }

  let busy = false;
  let reload = false;
  async function run() {
    if (busy) return;
    busy = true;
    render();
    try {
      flushPending();
      save();
      while (state.queue.length) {
        const op = state.queue[0];
        let response;
        try {
          response = await send(op);
        } catch (e) {
          return; // no network: the queue stays, and is sent when the network is back
        }
        if (response && response.status >= 500) return; // try again later, same key
        let data = null;
        if (response) {
          try {
            data = await response.json();
          } catch (e) {
            data = null;
          }
        }
        state.queue.shift();
        handle(op, response ? response.status : 0, data || {});
        save();
      }
      if (reload && !state.queue.length && !state.conflicts.length && !state.failures.length) {
        window.location.reload();
      }
    } finally {
      busy = false;
      render();
    }
  }

  function bumpQueuedRevisions(revisions) {
    for (const [aid, revision] of Object.entries(revisions || {})) {
      const row = rowById[aid];
      if (row) row.dataset.revision = String(revision);
      if (state.pending[aid]) state.pending[aid].base_revision = revision;
      for (const op of state.queue) {
        if (op.kind !== "sync") continue;
        for (const a of op.body.answers) if (String(a.answer_id) === aid) a.base_revision = revision;
      }
    }
  }

  function handle(op, status, data) {
    if (op.kind === "sync") {
      if (status === 200 || status === 409) {
        bumpQueuedRevisions(data.revisions);
        for (const f of data.findings || []) state.uuidMap[f.uuid] = f.id;
        for (const c of data.conflicts || []) {
          state.conflicts = state.conflicts.filter((x) => x.answer_id !== c.answer_id);
          state.conflicts.push(c);
        }
        return;
      }
    } else if (op.kind === "photo") {
      if (status === 201 || status === 0) {
        photoDelete(op.key);
        if (status === 201) return;
      }
    } else if (status >= 200 && status < 300) {
      reload = true;
      return;
    }
    state.failures.push({
      kind: op.kind,
      status: status,
      message: data.message || i18n.failed,
      fields: (data.extra && data.extra.fields) || {},
      body: op.body || null,
    });
    if (op.kind === "close") showClosing(data);
  }

  function showClosing(data) {
    const list = root.querySelector(".closing-problems");
    if (!list) return;
    const messages = [];
    for (const msgs of Object.values((data.extra && data.extra.fields) || {})) messages.push(...msgs);
    if (!messages.length && data.message) messages.push(data.message);
    showErrors(list, messages);
  }

  function showErrors(list, messages) {
    list.innerHTML = "";
    for (const m of messages) {
      const li = document.createElement("li");
      li.textContent = m;
      list.appendChild(li);
    }
    list.hidden = !messages.length;
  }

  // --- conflicts -------------------------------------------------------------------------
  function resolve(conflict, keepMine) {
    state.conflicts = state.conflicts.filter((c) => c.answer_id !== conflict.answer_id);
    const aid = String(conflict.answer_id);
    if (rowById[aid]) rowById[aid].dataset.revision = String(conflict.server.revision);
    if (keepMine) {
      state.pending[aid] = {
        answer_id: conflict.answer_id,
        result: conflict.yours.result,
        note: conflict.yours.note,
        base_revision: conflict.server.revision,
      };
      showAnswer(aid, conflict.yours.result, conflict.yours.note);
    } else {
      showAnswer(aid, conflict.server.result, conflict.server.note);
    }
    save();
    soon();
  }

  function label(result) {
    const input = root.querySelector('input[type=radio][value="' + result + '"]');
    return input ? input.parentElement.textContent.trim() : result || "—";
  }

  // --- what the page shows ---------------------------------------------------------------
  let shown = "";
  function render() {
    const box = root.querySelector(".sync-status");
    const waiting = state.queue.length + Object.values(state.pending).filter((a) => a.result).length;
    let text = i18n.saved;
    let cls = "saved";
    if (!navigator.onLine) {
      text = i18n.offline + (waiting ? " · " + waiting + " " + i18n.pending : "");
      cls = "offline";
    } else if (busy && waiting) {
      text = i18n.syncing;
      cls = "syncing";
    } else if (waiting) {
      text = waiting + " " + i18n.pending;
      cls = "pending";
    }
    box.className = "sync-status " + cls;
    box.querySelector(".text").textContent = text;
    box.dataset.pending = String(waiting);

    // Rebuilt only when they change: a rebuild between a press and its release would eat the click.
    const signature = JSON.stringify([state.conflicts, state.failures]);
    if (signature === shown) return;
    shown = signature;
    const conflictBox = root.querySelector(".conflicts");
    const list = conflictBox.querySelector(".conflict-list");
    list.innerHTML = "";
    for (const c of state.conflicts) {
      const li = document.createElement("li");
      li.dataset.answer = String(c.answer_id);
      const what = document.createElement("span");
      what.textContent =
        (c.item || "#" + c.answer_id) + " — " + i18n.server + ": " + label(c.server.result) +
        (c.server.note ? "（" + c.server.note + "）" : "") + (c.server.by ? " · " + c.server.by : "") +
        "；" + i18n.yours + ": " + label(c.yours.result) + (c.yours.note ? "（" + c.yours.note + "）" : "");
      const mine = document.createElement("button");
      mine.type = "button";
      mine.className = "btn small keep-mine";
      mine.textContent = i18n.keepMine;
      mine.addEventListener("click", () => resolve(c, true));
      const theirs = document.createElement("button");
      theirs.type = "button";
      theirs.className = "btn secondary small take-theirs";
      theirs.textContent = i18n.takeTheirs;
      theirs.addEventListener("click", () => resolve(c, false));
      li.append(what, " ", mine, " ", theirs);
      list.appendChild(li);
    }
    conflictBox.hidden = !state.conflicts.length;

    const failBox = root.querySelector(".sync-errors");
    const failList = failBox.querySelector(".error-list");
    failList.innerHTML = "";
    state.failures.forEach((f, index) => {
      const li = document.createElement("li");
      const details = [];
      for (const [field, msgs] of Object.entries(f.fields || {})) details.push(field + ": " + [].concat(msgs).join(" "));
      const what = f.body && f.body.findings && f.body.findings.length ? "「" + f.body.findings[0].description + "」 " : "";
      li.textContent = what + f.message + (details.length ? " — " + details.join("；") : "");
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "link";
      discard.textContent = i18n.discard;
      discard.addEventListener("click", () => {
        state.failures.splice(index, 1);
        save();
      });
      li.append(" ", discard);
      failList.appendChild(li);
    });
    failBox.hidden = !state.failures.length;
  }

  // Show what this device holds and the server does not have yet.
  function restore() {
    for (const op of state.queue) {
      if (op.kind === "sync") for (const a of op.body.answers) showAnswer(String(a.answer_id), a.result, a.note);
      if (op.kind === "sync") {
        for (const f of op.body.findings || []) {
          if (rowById[String(f.answer_id)]) localFinding(rowById[String(f.answer_id)], f);
        }
      }
    }
    for (const a of Object.values(state.pending)) showAnswer(String(a.answer_id), a.result, a.note);
  }

  let timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  }

  restore();
  render();
  window.addEventListener("online", () => run());
  window.addEventListener("offline", render);
  setInterval(() => {
    if (navigator.onLine && (state.queue.length || Object.keys(state.pending).length)) run();
  }, 10000);
  run();

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/inspections/" }).catch(() => {});
  }
})();
