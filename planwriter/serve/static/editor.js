/* The planwriter editor: a form over the plan's JSON, with a live preview.
 *
 * The plan is kept as the JSON the API reads and answers (S.plan).  Forms change
 * only the fields they show; every other field (including fields of newer plan
 * models that have no form here) is kept as it is and sent back unchanged.
 * Plain JavaScript, no build step, no network access beyond this server.
 */
"use strict";

const S = {
  plan: null, schema: null, health: {}, blocks: [], blockByKey: {}, presets: [],
  preview: "zh", errors: [], findings: [], generation: 0, timer: null,
  token: sessionStorage.getItem("planwriter-token") || "",
};

// -- labels ---------------------------------------------------------------
const LANG = {zh: "中文", en: "English", "zh-Hant": "繁體中文"};
const LANG_TAG = {zh: "中", en: "EN", "zh-Hant": "繁"};
const ORG_TYPES = {
  township_health_center: "乡镇卫生院", community_health_center: "社区卫生服务中心",
  hospital: "医院", community: "社区（居委会）", health_bureau: "卫生健康行政部门",
  school: "学校", other: "其他单位",
};
const KINDS = {
  preamble: "前言", situation: "基本情况", guiding_ideology: "指导思想", principles: "基本原则",
  goals: "工作目标", tasks: "主要任务", measures: "工作措施", schedule: "进度安排",
  responsibilities: "职责分工", safeguards: "保障措施", inspection: "督导检查",
  closing: "结束语", custom: "自定义章节",
};
const COMPARATORS = {
  at_least: "不低于", at_most: "不高于", reach: "达到", increase_by: "增长",
  decrease_by: "下降", decrease_to: "降至", below: "低于", above: "高于", not_exceeding: "不超过",
  equal: "为", eliminate: "杜绝", increase_by_points: "提高（百分点）",
  decrease_by_points: "降低（百分点）",
};
const UNITS = {
  percent: "%", permille: "‰", per_10k: "/万", per_100k: "/10万", years: "岁", yuan: "元",
  wan_yuan: "万元", yi_yuan: "亿元", persons: "人", person_times: "人次", wan_persons: "万人",
  items: "个", institutions: "家", facilities: "所", households: "户", beds: "张", times: "次",
  days: "天", none: "（无）",
};
const LAYOUTS = {auto: "自动", table: "表格", list: "列表", sentence: "一句话", phases: "分阶段"};
const PARAM_HINT = {percent: "0–100", month: "1–12 月", count: "整数", number: "数值", text: "文字"};
const META_FIELDS = [  // [field, kind, label, hint]; shown only where the plan model has the field
  ["organisation", "text", "单位名称", "如：青山镇卫生院"],
  ["org_type", "org_type", "单位类型", ""],
  ["year", "year", "年度", ""],
  ["superior", "text", "上级主管部门", "如：青山县卫生健康局"],
  ["issuer", "text", "落款单位", "留空则为单位名称"],
  ["date", "date", "成文日期", ""],
  ["title", "text", "标题", "留空则按单位和年度自动生成"],
  ["subtitle", "text", "副标题", ""],
  ["status", "text", "文稿状态", "如：征求意见稿"],
  ["doc_number", "text", "发文字号", "如：青卫发〔2025〕3号"],
  ["addressees", "text", "主送机关", "如：各乡镇卫生院，县直各医疗卫生单位"],
];
const NODE_KEYS = ["kind", "title", "text", "block", "params", "items", "indicators", "schedule",
                   "responsibilities", "layout"];

// -- small helpers ----------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const $ = (id) => document.getElementById(id);
const locales = () => (S.plan && S.plan.meta.locales) || ["zh"];

function toast(message, kind = "info") {
  const t = $("toast");
  t.textContent = message;
  t.className = "toast " + kind;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, kind === "error" ? 8000 : 3500);
}

function status(text, kind) {
  const el = $("status");
  el.textContent = text;
  el.className = "status " + (kind || "");
}

// -- the server -------------------------------------------------------------
async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (S.token) headers.authorization = "Bearer " + S.token;
  const r = await fetch(path, Object.assign({}, options, {headers}));
  if (r.status === 401 || r.status === 403) {
    await askToken(r.status === 403);
    return api(path, options);
  }
  return r;
}

function postPlan(path) {
  return api(path, {method: "POST", headers: {"content-type": "application/json"},
                    body: JSON.stringify(S.plan)});
}

async function errorText(r) {
  try {
    const body = await r.json();
    return body.error || r.statusText;
  } catch (e) {
    return `${r.status} ${r.statusText}`;
  }
}

let tokenAsked = null;  // one question for all the requests that were refused at once
function askToken(wrong) {
  if (tokenAsked) return tokenAsked;
  tokenAsked = new Promise((resolve) => {
    const dialog = $("token-dialog");
    dialog.hidden = false;
    if (wrong) toast("令牌不正确，请重新输入。", "error");
    const input = $("token-input");
    input.value = "";
    input.focus();
    $("token-ok").onclick = () => {
      S.token = input.value.trim();
      sessionStorage.setItem("planwriter-token", S.token);
      dialog.hidden = true;
      tokenAsked = null;
      resolve();
    };
  });
  return tokenAsked;
}

// -- schema: which fields and choices this plan model has -------------------------
function def(name) {
  return (S.schema && S.schema.$defs && S.schema.$defs[name]) || {properties: {}};
}
function resolve(node) {
  if (node && node.$ref) return def(node.$ref.split("/").pop());
  return node || {};
}
function hasField(defName, field) {
  return field in (def(defName).properties || {});
}
/** The values of an enumerated field (through $ref, anyOf and Literal unions). */
function choices(defName, field) {
  const out = [];
  const walk = (node) => {
    node = resolve(node);
    if (node.enum) out.push(...node.enum);
    if (node.const !== undefined) out.push(node.const);
    for (const k of ["anyOf", "oneOf", "allOf"]) (node[k] || []).forEach(walk);
    if (node.type === "array" && node.items) walk(node.items);
  };
  walk((def(defName).properties || {})[field]);
  return [...new Set(out.filter((v) => v !== null))];
}
/** Whether a field also takes free text besides its listed choices. */
function takesText(defName, field) {
  let free = false;
  const walk = (node) => {
    node = resolve(node);
    if (node.type === "string" && !node.enum) free = true;
    for (const k of ["anyOf", "oneOf"]) (node[k] || []).forEach(walk);
  };
  walk((def(defName).properties || {})[field]);
  return free;
}

// -- texts in one or several languages ------------------------------------------
function textOf(value, lang) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object" && !Array.isArray(value)) return value[lang] || "";
  return "";
}
function setTextIn(obj, key, lang, value, required) {
  const langs = locales();
  let cur = obj[key];
  if (langs.length === 1 && (cur === undefined || typeof cur === "string")) {
    if (value === "" && !required) delete obj[key]; else obj[key] = value;
    return;
  }
  if (typeof cur === "string") {
    const copy = {};
    for (const l of langs) copy[l] = cur;
    cur = copy;
  } else if (!cur || typeof cur !== "object" || Array.isArray(cur)) {
    cur = {};
  } else {
    cur = Object.assign({}, cur);
  }
  if (value === "") delete cur[lang]; else cur[lang] = value;
  if (Object.keys(cur).length === 0) {
    if (required) obj[key] = ""; else delete obj[key];
  } else {
    obj[key] = cur;
  }
}

/** Inputs for a text field: one per language of the plan. */
function textField(obj, key, path, opts = {}) {
  const value = obj[key];
  const wrap = h("div", {class: "field-control", "data-path": path});
  if (Array.isArray(value) || (value && typeof value === "object" &&
      Object.keys(value).some((k) => !(k in LANG)))) {
    wrap.append(h("div", {class: "kept"}, "此项为多条内容，编辑器中不可修改，将原样保留"));
    return wrap;
  }
  for (const lang of locales()) {
    const attrs = {
      value: textOf(value, lang), placeholder: opts.placeholder || "", lang: lang === "en" ? "en" : "zh-CN",
      "data-lang": lang, "aria-label": `${opts.label || key}（${LANG[lang] || lang}）`,
      oninput: (e) => { setTextIn(obj, key, lang, e.target.value, opts.required); changed(); },
    };
    const input = opts.multiline ? h("textarea", Object.assign({rows: opts.rows || 3}, attrs))
                                 : h("input", Object.assign({type: "text"}, attrs));
    if (opts.multiline) input.value = textOf(value, lang);
    wrap.append(locales().length > 1
      ? h("div", {class: "lang-row"}, h("span", {class: "lang-tag"}, LANG_TAG[lang] || lang), input)
      : input);
  }
  return wrap;
}

function field(label, control, hint) {
  return h("div", {class: "field"}, h("label", {class: "field-label"}, label),
           control, hint ? h("div", {class: "hint"}, hint) : null);
}

function select(options, value, onchange, attrs = {}) {
  const el = h("select", Object.assign({onchange: (e) => onchange(e.target.value)}, attrs));
  for (const [v, label] of options) el.append(h("option", {value: v}, label));
  if (value !== undefined && value !== null && !options.some(([v]) => v === value)) {
    el.append(h("option", {value}, value));
  }
  el.value = value === undefined || value === null ? options[0][0] : value;
  return el;
}

function numberInput(value, onvalue, attrs = {}) {
  return h("input", Object.assign({
    type: "number", step: "any", value: value === undefined || value === null ? "" : value,
    oninput: (e) => {
      const v = e.target.value;
      onvalue(v === "" ? undefined : Number(v));
      changed();
    },
  }, attrs));
}

// -- the form ---------------------------------------------------------------
function renderForm() {
  const pane = $("form-pane");
  const scroll = pane.scrollTop;
  pane.replaceChildren(metaCard(), ...S.plan.sections.map((s, i) => sectionCard(s, i)),
                       addSectionBar());
  pane.scrollTop = scroll;
  renderPreviewTabs();
  showProblems();
}

function metaCard() {
  const meta = S.plan.meta;
  const grid = h("div", {class: "grid"});
  for (const [name, kind, label, example] of META_FIELDS) {
    if (!hasField("Meta", name)) continue;
    let hint = example;
    const path = `meta.${name}`;
    let control;
    if (kind === "text") {
      control = textField(meta, name, path, {label, placeholder: hint, required: name === "organisation"});
      hint = "";
    } else if (kind === "org_type") {
      const values = choices("Meta", "org_type");
      control = h("div", {class: "field-control", "data-path": path},
        select(values.map((v) => [v, ORG_TYPES[v] || v]), meta.org_type || "other",
               (v) => { meta.org_type = v; changed(); }, {"aria-label": label}));
    } else if (kind === "year") {
      if (meta.year === undefined && meta.period) {
        control = h("div", {class: "kept"}, `计划期间 ${meta.period.start} 至 ${meta.period.end}（原样保留）`);
      } else {
        control = h("div", {class: "field-control", "data-path": path},
          numberInput(meta.year, (v) => { if (v === undefined) delete meta.year; else meta.year = v; },
                      {min: 1949, max: 2200, step: 1, id: "meta-year", "aria-label": label}));
      }
    } else if (kind === "date") {
      const full = !meta.date || /^\d{4}-\d{2}-\d{2}$/.test(meta.date);
      control = h("div", {class: "field-control", "data-path": path},
        h("input", {type: full ? "date" : "text", value: meta.date || "", "aria-label": label,
                    oninput: (e) => { if (e.target.value) meta.date = e.target.value; else delete meta.date; changed(); }}));
    }
    grid.append(field(label, control, hint));
  }
  const langs = h("div", {class: "field-control checks", "data-path": "meta.locales"});
  for (const lang of choices("Meta", "locales")) {
    langs.append(h("label", {class: "check"}, h("input", {
      type: "checkbox", checked: locales().includes(lang), value: lang,
      onchange: (e) => {
        const set = new Set(locales());
        if (e.target.checked) set.add(lang); else set.delete(lang);
        if (!set.size) { e.target.checked = true; return; }
        meta.locales = choices("Meta", "locales").filter((l) => set.has(l));
        if (!meta.locales.includes(S.preview)) S.preview = meta.locales[0];
        renderForm();
        changed();
      }}), LANG[lang] || lang));
  }
  grid.append(field("文种语言", langs, "勾选几种语言，就同时编写几种语言的文本"));
  return h("div", {class: "card meta-card", "data-path": "meta"},
           h("div", {class: "card-head"}, h("h2", {}, "基本信息"), keptNote(meta, META_FIELDS.map((f) => f[0]).concat(["locales", "period"]))),
           grid);
}

function keptNote(obj, known) {
  const extra = Object.keys(obj).filter((k) => !known.includes(k));
  if (!extra.length) return null;
  return h("span", {class: "kept-chip", title: extra.join(", ")},
           `另有 ${extra.length} 项设置（${extra.join("、")}）将原样保留`);
}

function sectionCard(section, index) {
  const path = `sections[${index}]`;
  const kinds = choices("Section", "kind");
  const title = textOf(section.title, locales()[0]);
  const open = !sectionCard.closed.has(index);
  const head = h("div", {class: "card-head section-head"},
    h("button", {type: "button", class: "icon fold", "aria-label": open ? "收起" : "展开",
                 onclick: () => { if (open) sectionCard.closed.add(index); else sectionCard.closed.delete(index); renderForm(); }},
      open ? "▾" : "▸"),
    h("span", {class: "section-no"}, String(index + 1)),
    h("div", {class: "field-control", "data-path": `${path}.kind`},
      select(kinds.map((k) => [k, KINDS[k] || k]), section.kind || "custom",
             (v) => { section.kind = v; changed(); renderForm(); }, {"aria-label": "章节类型", class: "kind-select"})),
    h("span", {class: "section-title"}, title || (section.block ? blockTitle(section.block) : "")),
    h("span", {class: "badge", "data-badge": path}),
    h("span", {class: "spacer"}),
    moveButtons(S.plan.sections, index, "章节"));
  const card = h("div", {class: "card section-card", "data-path": path}, head);
  if (open) card.append(nodeBody(section, path, 1, section.kind));
  return card;
}
sectionCard.closed = new Set();

function moveButtons(list, index, noun) {
  const move = (to) => {
    const [x] = list.splice(index, 1);
    list.splice(to, 0, x);
    sectionCard.closed.clear();
    renderForm();
    changed();
  };
  return h("span", {class: "row-tools"},
    h("button", {type: "button", class: "icon", title: "上移", "aria-label": `上移${noun}`, disabled: index === 0, onclick: () => move(index - 1)}, "↑"),
    h("button", {type: "button", class: "icon", title: "下移", "aria-label": `下移${noun}`, disabled: index === list.length - 1, onclick: () => move(index + 1)}, "↓"),
    h("button", {type: "button", class: "icon danger", title: "删除", "aria-label": `删除${noun}`, onclick: () => {
      if (list === S.plan.sections && list.length === 1) { toast("计划至少需要一个章节。", "error"); return; }
      if (!confirm(`删除这个${noun}？`)) return;
      list.splice(index, 1);
      sectionCard.closed.clear();
      renderForm();
      changed();
    }}, "✕"));
}

function blockTitle(key) {
  const b = S.blockByKey[key];
  return b ? (b.title[S.preview] || b.title.zh || key) : key;
}

/** The fields of a section or item: title, text, block, data tables and sub-items. */
function nodeBody(node, path, depth, kind) {
  const body = h("div", {class: "node-body"});
  body.append(keptNote(node, NODE_KEYS) || "");
  body.append(field("标题", textField(node, "title", `${path}.title`, {label: "标题", placeholder: depth === 1 ? "留空则用章节类型的默认标题" : ""})));
  if (node.content !== undefined) {
    body.append(h("div", {class: "kept"}, "此部分的内容按作者顺序编排（content），编辑器中不可修改，将原样保留。"));
    return body;
  }
  body.append(field("正文", textField(node, "text", `${path}.text`, {label: "正文", multiline: true, rows: 3}),
                    "段落之间空一行"));
  if (node.block) body.append(blockPanel(node, path, kind));
  if (node.indicators && node.indicators.length) body.append(indicatorTable(node, path));
  if (node.schedule && node.schedule.length) body.append(scheduleTable(node, path));
  if (node.responsibilities && node.responsibilities.length) body.append(responsibilityTable(node, path));
  if ((node.indicators || []).length || (node.schedule || []).length || (node.responsibilities || []).length) {
    const layouts = choices("Node", "layout");
    body.append(field("数据排版", h("div", {class: "field-control", "data-path": `${path}.layout`},
      select(layouts.map((l) => [l, LAYOUTS[l] || l]), node.layout || "auto",
             (v) => { if (v === "auto") delete node.layout; else node.layout = v; changed(); },
             {"aria-label": "数据排版", class: "narrow"}))));
  }
  if (node.items && node.items.length) body.append(itemList(node, path, depth, kind));
  const add = h("div", {class: "add-bar"});
  if (!node.block) add.append(h("button", {type: "button", class: "small", onclick: () => openPicker(node, kind)}, "＋ 引用段落库"));
  const adders = [["indicators", "＋ 指标", {name: "", comparator: "at_least", value: 90, unit: "percent"}],
                  ["schedule", "＋ 进度安排", {when: "", what: ""}],
                  ["responsibilities", "＋ 职责分工", {owner: "", duties: ""}],
                  ["items", depth === 1 ? "＋ 子项" : "＋ 下级子项", {}]];
  for (const [key, label, empty] of adders) {
    if (key === "items" && depth >= 5) continue;
    if ((node[key] || []).length) continue;
    add.append(h("button", {type: "button", class: "small", onclick: () => {
      node[key] = [blank(empty)];
      renderForm();
      changed();
    }}, label));
  }
  body.append(add);
  return body;
}

function blank(template) {
  const out = JSON.parse(JSON.stringify(template));
  for (const k of ["name", "what", "owner", "duties"]) {
    if (k in out) out[k] = locales().length > 1 ? {} : "";
  }
  return out;
}

function blockPanel(node, path, kind) {
  const info = S.blockByKey[node.block];
  const panel = h("div", {class: "block-panel", "data-path": `${path}.block`},
    h("div", {class: "block-head"},
      h("span", {class: "block-icon"}, "¶"),
      h("div", {}, h("div", {class: "block-title"}, info ? (info.title.zh || node.block) : node.block),
                   h("div", {class: "mono muted"}, node.block)),
      h("span", {class: "spacer"}),
      h("button", {type: "button", class: "small", onclick: () => openPicker(node, kind)}, "更换"),
      h("button", {type: "button", class: "small danger", onclick: () => {
        delete node.block; delete node.params; renderForm(); changed();
      }}, "移除")));
  if (!info) return panel;
  const names = Object.keys(info.params || {});
  if (!names.length) {
    panel.append(h("div", {class: "hint"}, "此段落没有可调参数。"));
    return panel;
  }
  const grid = h("div", {class: "grid params"});
  node.params = node.params || {};
  for (const name of names) {
    const spec = info.params[name];
    const label = textOf(spec.description, "zh") || name;
    const ppath = `${path}.params.${name}`;
    let control;
    if (spec.type === "text" || !spec.type) {
      control = textField(node.params, name, ppath, {label, placeholder: textOf(spec.default, "zh")});
    } else {
      const range = {percent: {min: 0, max: 100, step: "any"}, month: {min: 1, max: 12, step: 1},
                     count: {min: 0, step: 1}, number: {min: 0, step: "any"}}[spec.type] || {};
      control = h("div", {class: "field-control with-unit", "data-path": ppath},
        numberInput(node.params[name], (v) => { if (v === undefined) delete node.params[name]; else node.params[name] = v; },
                    Object.assign({placeholder: spec.default !== undefined ? String(spec.default) : "",
                                   "aria-label": label, "data-param": name, "data-type": spec.type}, range)),
        h("span", {class: "unit"}, spec.type === "percent" ? "%" : spec.type === "month" ? "月" : ""));
    }
    const byDefault = typeof spec.default === "number" ? String(spec.default) : textOf(spec.default, "zh");
    grid.append(field(label + (spec.required && spec.default === undefined ? " *" : ""), control,
                      `${PARAM_HINT[spec.type] || ""}${byDefault ? "，默认 " + byDefault : ""}`));
  }
  panel.append(grid);
  return panel;
}

function dataTable(title, node, key, path, columns, template) {
  const rows = node[key];
  const table = h("table", {class: "data"});
  table.append(h("thead", {}, h("tr", {}, columns.map((c) => h("th", {style: c.width ? `width:${c.width}` : null}, c.label)), h("th", {class: "tools"}, ""))));
  const tbody = h("tbody");
  rows.forEach((row, i) => {
    const rpath = `${path}.${key}[${i}]`;
    const tr = h("tr", {"data-path": rpath});
    for (const c of columns) tr.append(h("td", {}, c.cell(row, `${rpath}.${c.key}`)));
    tr.append(h("td", {class: "tools"}, h("button", {type: "button", class: "icon danger", title: "删除此行", "aria-label": "删除此行", onclick: () => {
      rows.splice(i, 1);
      if (!rows.length) delete node[key];
      renderForm();
      changed();
    }}, "✕")));
    tbody.append(tr);
  });
  table.append(tbody);
  return h("div", {class: "table-block", "data-path": `${path}.${key}`},
    h("div", {class: "table-title"}, title,
      h("button", {type: "button", class: "small", onclick: () => { rows.push(blank(template)); renderForm(); changed(); }}, "＋ 添加一行")),
    h("div", {class: "table-scroll"}, table));
}

function indicatorTable(node, path) {
  const comparators = choices("Indicator", "comparator");
  const units = choices("Indicator", "unit");
  const freeUnit = takesText("Indicator", "unit");
  return dataTable("指标", node, "indicators", path, [
    {key: "name", label: "指标名称", cell: (r, p) => textField(r, "name", p, {label: "指标名称", required: true})},
    {key: "comparator", label: "要求", width: "8.5em", cell: (r, p) => h("div", {class: "field-control", "data-path": p},
      select(comparators.map((c) => [c, COMPARATORS[c] || c]), r.comparator || "reach",
             (v) => { r.comparator = v; changed(); }, {"aria-label": "要求"}))},
    {key: "value", label: "目标值", width: "6.5em", cell: (r, p) => h("div", {class: "field-control", "data-path": p},
      numberInput(r.value, (v) => { if (v === undefined) delete r.value; else r.value = v; }, {"aria-label": "目标值", class: "target"}))},
    {key: "unit", label: "单位", width: "7em", cell: (r, p) => {
      const wrap = h("div", {class: "field-control", "data-path": p});
      if (freeUnit) {
        const listId = "units-list";
        if (!$(listId)) document.body.append(h("datalist", {id: listId}, units.map((u) => h("option", {value: u}, UNITS[u] || u))));
        wrap.append(h("input", {type: "text", list: listId, value: typeof r.unit === "string" ? r.unit : textOf(r.unit, "zh"),
          "aria-label": "单位", oninput: (e) => { if (e.target.value) r.unit = e.target.value; else delete r.unit; changed(); }}));
      } else {
        wrap.append(select(units.map((u) => [u, UNITS[u] || u]), r.unit || "none",
                           (v) => { r.unit = v; changed(); }, {"aria-label": "单位"}));
      }
      return wrap;
    }},
    {key: "baseline", label: "基线", width: "6.5em", cell: (r, p) => {
      const obj = r.baseline && typeof r.baseline === "object" ? r.baseline : null;
      return h("div", {class: "field-control", "data-path": p},
        numberInput(obj ? obj.value : r.baseline, (v) => {
          if (obj) { obj.value = v; } else if (v === undefined) delete r.baseline; else r.baseline = v;
        }, {"aria-label": "基线"}));
    }},
  ], {name: "", comparator: "at_least", value: 90, unit: "percent"});
}

function scheduleTable(node, path) {
  return dataTable("进度安排", node, "schedule", path, [
    {key: "when", label: "时间", width: "11.5em", cell: (r, p) => h("div", {class: "field-control", "data-path": p},
      h("input", {type: "text", value: r.when === undefined ? "" : String(r.when), placeholder: "如 Q1、2025-06",
                  title: "可写 2025-06-30、2025-06、Q1、H1、by 2025-06（…前）、2025-09..2025-10（区间）", "aria-label": "时间",
                  oninput: (e) => { r.when = e.target.value; changed(); }}))},
    {key: "what", label: "工作内容", cell: (r, p) => textField(r, "what", p, {label: "工作内容", required: true})},
    {key: "owner", label: "责任部门", width: "11em", cell: (r, p) => textField(r, "owner", p, {label: "责任部门"})},
  ], {when: "", what: ""});
}

function responsibilityTable(node, path) {
  return dataTable("职责分工", node, "responsibilities", path, [
    {key: "owner", label: "责任部门", width: "11em", cell: (r, p) => textField(r, "owner", p, {label: "责任部门", required: true})},
    {key: "duties", label: "职责", cell: (r, p) => textField(r, "duties", p, {label: "职责", required: true, multiline: true, rows: 2})},
  ], {owner: "", duties: ""});
}

// What an item without a title or text says: its first part's words, its targets' names or
// its dated steps (1.每季开展上门访视，访视率…, 1.6月底前完成…), for the item's label.
function saidOf(item, locale) {
  const part = (item.content || [item])[0] || {};
  if (part.text) return textOf(part.text, locale);
  const lead = textOf(part.lead, locale);
  if (part.indicators && part.indicators.length)
    return lead + part.indicators.map((i) => textOf(i.name, locale)).join("、");
  if (part.schedule && part.schedule.length)
    return lead + part.schedule.map((e) => textOf(e.what, locale) || textOf(e.phase, locale)).join("、");
  return "";
}

function itemList(node, path, depth, kind) {
  const list = h("div", {class: "items", "data-path": `${path}.items`},
                 h("div", {class: "table-title"}, depth === 1 ? "子项" : "下级子项"));
  node.items.forEach((item, i) => {
    const ipath = `${path}.items[${i}]`;
    const label = textOf(item.title, locales()[0]) || (item.block ? blockTitle(item.block) : textOf(item.text, locales()[0]).slice(0, 24))
      || saidOf(item, locales()[0]).slice(0, 24) || "（新子项）";
    const key = ipath;
    const open = itemList.open.has(key);
    const box = h("div", {class: "item", "data-path": ipath},
      h("div", {class: "item-head"},
        h("button", {type: "button", class: "icon fold", "aria-label": open ? "收起" : "展开",
                     onclick: () => { if (open) itemList.open.delete(key); else itemList.open.add(key); renderForm(); }}, open ? "▾" : "▸"),
        h("span", {class: "item-no"}, `${i + 1}.`),
        h("span", {class: "item-title"}, label),
        item.block ? h("span", {class: "chip"}, "段落库") : null,
        h("span", {class: "badge", "data-badge": ipath}),
        h("span", {class: "spacer"}),
        moveButtons(node.items, i, "子项")));
    if (open) box.append(nodeBody(item, ipath, depth + 1, kind));
    list.append(box);
  });
  list.append(h("button", {type: "button", class: "small", onclick: () => {
    node.items.push({});
    itemList.open.add(`${path}.items[${node.items.length - 1}]`);
    renderForm();
    changed();
  }}, "＋ 添加子项"));
  return list;
}
itemList.open = new Set();

function addSectionBar() {
  const kinds = choices("Section", "kind");
  let kind = "tasks";
  return h("div", {class: "add-section"},
    select(kinds.map((k) => [k, KINDS[k] || k]), kind, (v) => { kind = v; }, {"aria-label": "新章节类型"}),
    h("button", {type: "button", class: "primary", onclick: () => {
      S.plan.sections.push({kind});
      renderForm();
      changed();
      $("form-pane").scrollTop = $("form-pane").scrollHeight;
    }}, "＋ 添加章节"));
}

// -- the block picker ---------------------------------------------------------
let pickerNode = null;
let pickerKind = null;
function openPicker(node, kind) {
  pickerNode = node;
  pickerKind = kind;
  $("picker").hidden = false;
  $("picker-q").value = "";
  $("picker-q").focus();
  refreshPicker();
}

async function refreshPicker() {
  const q = $("picker-q").value.trim();
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if ($("picker-fit").checked && pickerKind && pickerKind !== "custom") params.set("kind", pickerKind);
  const r = await api("/v1/blocks?" + params);
  const list = $("picker-list");
  if (!r.ok) { list.replaceChildren(h("li", {class: "muted"}, await errorText(r))); return; }
  const blocks = await r.json();
  list.replaceChildren(...(blocks.length ? blocks.map((b) => h("li", {},
    h("button", {type: "button", class: "pick", "data-key": b.key, onclick: () => choose(b)},
      h("span", {class: "pick-title"}, b.title.zh || b.key, h("span", {class: "muted"}, "  " + (b.title.en || ""))),
      h("span", {class: "pick-meta"}, h("span", {class: "mono"}, b.key),
        Object.keys(b.params).length ? `  · ${Object.keys(b.params).length} 个参数` : "",
        "  · ", b.kinds.map((k) => KINDS[k] || k).join("、"))))) : [h("li", {class: "muted empty"}, "没有找到匹配的段落。",
      $("picker-fit").checked ? "可取消勾选“只看适合本章节的”，在全部段落中搜索。" : "")]));
}

function choose(block) {
  pickerNode.block = block.key;
  delete pickerNode.params;  // the block's defaults, until the user sets a parameter
  $("picker").hidden = true;
  renderForm();
  changed();
  toast(`已引用“${block.title.zh || block.key}”`);
}

// -- problems next to the fields ----------------------------------------------------
function target(path) {
  let p = path;
  while (p) {
    const el = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  return null;
}

function showProblems() {
  document.querySelectorAll(".problem, .problem-row").forEach((el) => el.remove());
  document.querySelectorAll(".invalid, .warned").forEach((el) => el.classList.remove("invalid", "warned"));
  document.querySelectorAll("[data-badge]").forEach((el) => { el.textContent = ""; el.className = "badge"; });
  const all = S.errors.map((e) => ({kind: "error", field: e.field, text: e.message}))
    .concat(S.findings.map((f) => ({kind: f.severity === "error" ? "error" : "warning", field: f.field,
                                    text: `${f.code}：${f.message}`})));
  for (const p of all) {
    const el = target(p.field || "");
    const where = el || $("form-pane").firstChild;
    if (!where) continue;
    where.classList.add(p.kind === "error" ? "invalid" : "warned");
    const note = h("div", {class: `problem ${p.kind}`}, p.kind === "error" ? "✕ " : "! ", p.text);
    const row = where.closest("tr");
    if (row) {  // under the row, across the table: a cell is too narrow for a message
      let holder = row.nextElementSibling;
      if (!holder || !holder.classList.contains("problem-row")) {
        holder = h("tr", {class: "problem-row"}, h("td", {colspan: row.children.length}));
        row.after(holder);
      }
      holder.firstChild.append(note);
    } else if (where.matches(".card, .item")) {
      where.insertBefore(note, where.children[1] || null);
    } else {
      where.append(note);
    }
    const badgePath = (p.field || "").match(/^sections\[\d+\](?:\.items\[\d+\])*/);
    if (badgePath) {
      let bp = badgePath[0];
      while (bp) {
        const badge = document.querySelector(`[data-badge="${CSS.escape(bp)}"]`);
        if (badge) {
          badge.textContent = String((Number(badge.textContent) || 0) + 1);
          badge.className = "badge " + (p.kind === "error" || badge.classList.contains("error") ? "error" : "warning");
          break;
        }
        bp = bp.replace(/\.items\[\d+\]$/, "");
        if (!bp.includes(".items[") && !document.querySelector(`[data-badge="${CSS.escape(bp)}"]`)) break;
      }
    }
  }
  const errors = all.filter((p) => p.kind === "error").length;
  const warnings = all.length - errors;
  if (errors) status(`${errors} 处错误${warnings ? `，${warnings} 处提示` : ""}`, "bad");
  else if (warnings) status(`${warnings} 处提示`, "warn");
  else status("检查通过", "good");
}

// -- validate, check and preview after each change -------------------------------
function changed() {
  saveDraft();
  clearTimeout(S.timer);
  $("preview-state").textContent = "更新中…";
  S.timer = setTimeout(refresh, 450);
}

async function refresh() {
  const generation = ++S.generation;
  const [valid, checked, preview] = await Promise.all([
    postPlan("/v1/validate"), postPlan("/v1/check"),
    postPlan(`/v1/render?to=md&locale=${encodeURIComponent(S.preview)}`)]);
  if (generation !== S.generation) return;  // a newer change is on its way
  S.errors = valid.ok ? [] : ((await valid.json()).errors || []);
  S.findings = checked.ok ? (await checked.json()).findings : [];
  if (preview.ok) {
    $("preview").innerHTML = markdown(await preview.text());
    $("preview").lang = S.preview === "en" ? "en-GB" : "zh-CN";
    $("preview").dataset.locale = S.preview;
    $("preview-state").textContent = "";
  } else {
    $("preview-state").textContent = "预览未更新：请先改正标出的错误";
  }
  showProblems();
}

function renderPreviewTabs() {
  const bar = $("preview-locale");
  bar.replaceChildren(...locales().map((lang) => h("button", {
    type: "button", role: "tab", "aria-selected": String(lang === S.preview), "data-locale": lang,
    class: lang === S.preview ? "on" : "", onclick: () => { S.preview = lang; renderPreviewTabs(); refresh(); },
  }, LANG[lang] || lang)));
}

// -- Markdown as planwriter writes it, to HTML --------------------------------------
function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
}
function inline(text) {
  let out = "";
  let bold = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && /[\\`*_[\]<>#|~!&.)+\-=]/.test(text[i + 1])) {
      out += escapeHtml(text[++i]);
    } else if (c === "*" && text[i + 1] === "*") {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      i++;
    } else {
      out += escapeHtml(c);
    }
  }
  return out + (bold ? "</strong>" : "");
}
function cells(line) {
  const parts = [];
  let cur = "";
  const body = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\" && i + 1 < body.length) { cur += body[i] + body[i + 1]; i++; continue; }
    if (body[i] === "|") { parts.push(cur.trim()); cur = ""; continue; }
    cur += body[i];
  }
  parts.push(cur.trim());
  return parts;
}
function markdown(md) {
  const blocks = md.replace(/\n+$/, "").split(/\n{2,}/);
  const html = [];
  blocks.forEach((block, n) => {
    const lines = block.split("\n");
    const heading = /^(#{1,6}) (.*)$/.exec(block);
    if (heading && lines.length === 1) {
      const level = heading[1].length;
      html.push(`<h${level}>${inline(heading[2])}</h${level}>`);
    } else if (lines.length >= 2 && /^\|/.test(lines[0]) && /^\|\s*-{3}/.test(lines[1])) {
      const head = cells(lines[0]).map((c) => `<th>${inline(c)}</th>`).join("");
      const rows = lines.slice(2).map((l) => "<tr>" + cells(l).map((c) => `<td>${inline(c)}</td>`).join("") + "</tr>").join("");
      html.push(`<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`);
    } else {
      const last = n === blocks.length - 1 && (lines.length > 1 || /\d{4}年|\d{4}$/.test(block));
      const text = lines.map((l) => inline(l.replace(/ {2}$/, ""))).join("<br>");
      html.push(last ? `<p class="signature">${text}</p>` : `<p>${text}</p>`);
    }
  });
  return html.join("\n");
}

// -- downloads ----------------------------------------------------------------------
async function download(to) {
  const button = document.querySelector(`.download[data-to="${to}"]`);
  button.disabled = true;
  const label = button.textContent;
  button.textContent = "生成中…";
  try {
    const locale = to === "yaml" ? "" : `&locale=${encodeURIComponent(S.preview)}`;
    const r = await postPlan(`/v1/render?to=${to}${locale}`);
    if (!r.ok) { toast("无法下载：" + await errorText(r), "error"); return; }
    const blob = await r.blob();
    const disposition = r.headers.get("content-disposition") || "";
    const utf8 = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    const plain = /filename="([^"]+)"/.exec(disposition);
    const name = utf8 ? decodeURIComponent(utf8[1]) : plain ? plain[1] : `plan.${to}`;
    const a = h("a", {href: URL.createObjectURL(blob), download: name});
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    toast(`已下载 ${name}`);
  } finally {
    button.disabled = to === "pdf" && !S.health.pdf;
    button.textContent = label;
  }
}

// -- starting and opening plans -------------------------------------------------------
function showStart(cancellable) {
  $("start").hidden = false;
  $("start-cancel").hidden = !cancellable;
  const grid = $("preset-grid");
  grid.replaceChildren(...S.presets.map((p) => h("button", {
    type: "button", class: "preset", "data-preset": p.name, onclick: () => startFrom(p.name),
  }, h("span", {class: "preset-type"}, ORG_TYPES[p.org_type] || p.org_type),
     h("span", {class: "preset-name"}, textOf(p.organisation, "zh") || p.name),
     h("span", {class: "preset-en muted"}, textOf(p.organisation, "en")),
     h("span", {class: "preset-go"}, "使用此模板 →"))));
}

async function startFrom(name) {
  const year = $("start-year").value;
  const locale = $("start-locale").value;
  const params = new URLSearchParams();
  if (year) params.set("year", year);
  if (locale) params.set("locale", locale);
  const r = await api(`/v1/presets/${encodeURIComponent(name)}?${params}`);
  if (!r.ok) { toast(await errorText(r), "error"); return; }
  open((await r.json()).plan);
  toast("已从模板新建，请填写单位名称并逐项修改。");
}

async function openFile(file) {
  if (!file) return;
  const lower = file.name.toLowerCase();
  let r;
  if (/\.(ya?ml|json)$/.test(lower)) {
    r = await api("/v1/validate", {method: "POST", body: await file.arrayBuffer(),
      headers: {"content-type": lower.endsWith(".json") ? "application/json" : "application/yaml"}});
  } else {
    if (!S.health.imports) { toast("此服务器暂不支持导入此类文件，请打开 YAML 或 JSON 计划文件。", "error"); return; }
    const form = new FormData();
    form.append("file", file, file.name);
    r = await api("/v1/import", {method: "POST", body: form});
  }
  if (!r.ok) { toast(`无法打开 ${file.name}：` + await errorText(r), "error"); return; }
  const answer = await r.json();
  open(answer.plan);
  const notes = (answer.findings || []).filter((f) => f.kind !== "dropped").length;
  const dropped = (answer.findings || []).length - notes;
  toast(`已打开 ${file.name}` + (dropped ? `，已去除网页杂项 ${dropped} 处` : "")
        + (notes ? `，另有 ${notes} 处请核对（保留为文字或待填写的内容）` : ""));
}

function open(plan) {
  S.plan = plan;
  S.plan.meta.locales = S.plan.meta.locales || ["zh"];
  S.preview = S.plan.meta.locales[0];
  S.errors = [];
  S.findings = [];
  sectionCard.closed = new Set(S.plan.sections.map((_, i) => i).filter((i) => i > 2));
  itemList.open = new Set();
  $("start").hidden = true;
  $("workspace").hidden = false;
  document.body.classList.add("editing");
  renderForm();
  changed();
}

function saveDraft() {
  try { localStorage.setItem("planwriter-draft", JSON.stringify(S.plan)); } catch (e) { /* full */ }
}

// -- start ------------------------------------------------------------------------------
async function main() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) {
    S.token = hash.get("token");
    sessionStorage.setItem("planwriter-token", S.token);
    history.replaceState(null, "", location.pathname);
  }
  S.health = await (await fetch("/healthz")).json();
  const [schema, blocks, presets] = await Promise.all([api("/v1/schema"), api("/v1/blocks"), api("/v1/presets")]);
  S.schema = await schema.json();
  S.blocks = await blocks.json();
  S.blockByKey = Object.fromEntries(S.blocks.map((b) => [b.key, b]));
  S.presets = await presets.json();
  $("start-year").value = new Date().getFullYear();
  const pdf = $("dl-pdf");
  pdf.disabled = !S.health.pdf;
  if (!S.health.pdf) pdf.title = "此服务器未安装 PDF 输出（需要 LibreOffice）";
  document.querySelectorAll(".download").forEach((b) => b.addEventListener("click", () => download(b.dataset.to)));
  $("btn-new").onclick = () => showStart(Boolean(S.plan));
  $("start-cancel").onclick = () => { $("start").hidden = true; };
  $("file-open").onchange = (e) => { openFile(e.target.files[0]); e.target.value = ""; };
  $("start-open").onchange = (e) => { openFile(e.target.files[0]); e.target.value = ""; };
  $("picker-close").onclick = () => { $("picker").hidden = true; };
  $("picker-fit").onchange = refreshPicker;
  let pickerTimer = null;
  $("picker-q").oninput = () => { clearTimeout(pickerTimer); pickerTimer = setTimeout(refreshPicker, 200); };
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("picker").hidden = true; });
  const draft = localStorage.getItem("planwriter-draft");
  if (draft) {
    try {
      open(JSON.parse(draft));
      toast("已恢复上次未完成的计划。点“新建”可重新开始。");
      return;
    } catch (e) { localStorage.removeItem("planwriter-draft"); }
  }
  showStart(false);
}

main().catch((e) => toast("编辑器无法启动：" + e.message, "error"));
