// A question's picture (the jar on the desk) and its alt text, as the server sends it with the market once
// its question is shown (mmgame/services/pictures.py); a market without one hides the figure. Says whether
// the picture changed, for a screen that lays the question out around it.
export function showPicture(figure, market) {
  const picture = market?.picture || null;
  const img = figure.querySelector("img");
  const url = picture ? picture.url : "";
  const changed = (img.getAttribute("src") || "") !== url;
  figure.hidden = !picture;
  if (!picture) img.removeAttribute("src");
  else if (changed) img.src = url;
  img.alt = picture ? picture.alt : "";
  return changed;
}
