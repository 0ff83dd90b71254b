// The market form: say back every number as it is typed, and show the house's worst-case subsidy for each
// liquidity. subsidy = b·[ln(σ₀/σ_min) + D²/(2σ₀²)], D = max |x − μ₀| over the range (GaussianMarket.subsidy).
import { sayBack, watchNumbers } from "./number-input.js";

const form = document.getElementById("market-form");
const out = document.getElementById("subsidy");
const levels = JSON.parse(document.getElementById("liquidity-levels").textContent);

function context() {
  return { kind: form.elements.kind.value || "measure", unit: form.elements.unit.value.trim() };
}

function value(name, fallback) {
  const input = form.elements[name];
  const v = input ? sayBack(input, context()) : null;
  return v === null ? fallback : v;
}

function update() {
  const lo = value("lo", NaN), hi = value("hi", NaN);
  if (!(hi > lo)) {
    out.textContent = "";
    return;
  }
  const integer = context().kind !== "measure";
  const mean = value("prior_mean", (lo + hi) / 2);
  const sd = value("prior_sd", (hi - lo) / 4);
  const sdMin = value("sd_min", integer ? Math.max(0.5, (hi - lo) / 200) : (hi - lo) / 200);
  if (!(sd > 0 && sdMin > 0 && sd >= sdMin)) {
    out.textContent = "";
    return;
  }
  const distance = Math.max(Math.abs(lo - mean), Math.abs(hi - mean));
  const perB = Math.log(sd / sdMin) + (distance * distance) / (2 * sd * sd);
  const choice = form.elements.liquidity.value || "normal";
  const parts = Object.entries(levels).map(([key, { b, label }]) => {
    const text = `${label}: ${Math.round(b * perB).toLocaleString()}`;
    return key === choice ? `[${text}]` : text;
  });
  out.textContent = `${out.dataset.label || "House's worst-case subsidy (points)"}: ${parts.join(" · ")}`;
}

watchNumbers(form, context);
form.addEventListener("input", update);
form.addEventListener("change", update);
update();
