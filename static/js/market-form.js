// The market form: say back every number as it is typed, and show the most the bank can pay out (the
// house's worst-case subsidy) at each stake. subsidy = b·[ln(σ₀/σ_min) + D²/(2σ₀²)], D = max |x − μ₀| over the range (GaussianMarket.subsidy).
import { upTo } from "./format.js";
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

// On a log scale the market lives in ln x: the range, the middle and σ are taken there, and the give-or-takes
// are typed as factors f (σ = ln f).
function numbers() {
  const log = form.querySelector("input[name=scale]:checked")?.value === "log";
  const integer = context().kind !== "measure";
  if (!log) {
    const lo = value("lo", NaN), hi = value("hi", NaN);
    const least = integer ? Math.max(0.5, (hi - lo) / 200) : (hi - lo) / 200;
    return { lo, hi, mean: value("prior_mean", (lo + hi) / 2), sd: value("prior_sd", (hi - lo) / 4), sdMin: value("sd_min", least) };
  }
  const lo = Math.log(value("lo", NaN)), hi = Math.log(value("hi", NaN));
  const whole = integer ? Math.log1p(1 / Math.exp(lo)) / 2 : 0;
  return {
    lo,
    hi,
    mean: Math.log(value("prior_mean", Math.exp((lo + hi) / 2))),
    sd: Math.log(value("prior_sd", Math.exp((hi - lo) / 4))),
    sdMin: Math.log(value("sd_min", Math.exp(Math.max(whole, (hi - lo) / 200)))),
  };
}

// The bound in whole points, rounded up and never to nearest: what the host is shown is never below what the
// bank can pay. Worked in doubles from the typed numbers, it is allowed 10⁻¹² of itself for their rounding
// (the server's, GaussianMarket.subsidy, is exact and rounded up too).
export function bankBound(value) {
  return Math.ceil(value * (1 + 1e-12));
}

function update() {
  const { lo, hi, mean, sd, sdMin } = numbers();
  if (!(hi > lo)) {
    out.textContent = "";
    return;
  }
  if (!(sd > 0 && sdMin > 0 && sd >= sdMin)) {
    out.textContent = "";
    return;
  }
  const distance = Math.max(Math.abs(lo - mean), Math.abs(hi - mean));
  const perB = Math.log(sd / sdMin) + (distance * distance) / (2 * sd * sd);
  const choice = form.elements.liquidity.value || "normal";
  const parts = Object.entries(levels).map(([key, { b, label }]) => {
    const text = `${label}: ${upTo(bankBound(b * perB), 0)}`;
    return key === choice ? `[${text}]` : text;
  });
  out.textContent = `${out.dataset.label || "The most the bank can pay out (points)"}: ${parts.join(" · ")}`;
}

watchNumbers(form, context);
form.addEventListener("input", update);
form.addEventListener("change", update);
update();

// Private clues are drawn around the true value: the field is open only once one is typed.
const answer = document.getElementById("id_answer");
const clues = document.getElementById("id_clue_noise");
if (answer && clues) {
  const follow = () => { clues.disabled = answer.value.trim() === "" && clues.value.trim() === ""; };
  answer.addEventListener("input", follow);
  follow();
}
