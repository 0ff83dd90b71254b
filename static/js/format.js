// Numbers for people: a few significant digits, the user's locale, and signs that do not rely on colour.

const locale = document.documentElement.lang || undefined;

export function number(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : digits;
  return value.toLocaleString(locale, { maximumFractionDigits: decimals });
}

export function quantity(value, market, withUnit = true) {
  if (!Number.isFinite(value)) return "–";
  const width = market.hi - market.lo;
  const decimals = width >= 1000 ? 0 : width >= 10 ? 1 : width >= 1 ? 2 : 4;
  const text = value.toLocaleString(locale, { maximumFractionDigits: decimals });
  return market.unit && withUnit ? `${text} ${market.unit}` : text;
}

export function points(value) {
  if (!Number.isFinite(value)) return "–";
  const text = Math.abs(value).toLocaleString(locale, { maximumFractionDigits: Math.abs(value) < 10 ? 1 : 0 });
  return value > 0.05 ? `+${text}` : value < -0.05 ? `−${text}` : text;
}

// Fill "{name}" placeholders in a translated string.
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : `{${key}}`));
}
