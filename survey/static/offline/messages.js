// Validation messages: English message ids (as in the Python question classes) translated through a
// catalog the server prepares (survey/offline/messages.py), placeholders filled in here.

function fill(template, params) {
  return template.replace(/%\((\w+)\)([sd])/gu, (whole, name, conversion) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return conversion === "d" ? String(Math.trunc(Number(value))) : String(value);
  });
}

// catalog: msgid -> translation, or for plural messages msgid -> {count: translation}.
export function translate(catalog, msgid, params = {}) {
  const entry = catalog ? catalog[msgid] : undefined;
  return fill(typeof entry === "string" && entry ? entry : msgid, params);
}

export function translatePlural(catalog, singular, plural, count, params = {}) {
  const entry = catalog ? catalog[singular] : undefined;
  const found = entry && typeof entry === "object" ? entry[String(count)] : undefined;
  const template = found || (count === 1 ? singular : plural);
  return fill(template, { num: count, ...params });
}
