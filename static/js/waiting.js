// A phone in the game's waiting room: ask every few seconds whether the host has let it in. Once in (or
// turned away), reload: the play page then shows the game, or the plain sentence that the host said no.
const root = document.getElementById("waiting-room");
const EVERY = 2000; // ms: a class of 40 waiting asks 20 times a second, each a one-row read

async function ask() {
  let response;
  try {
    response = await fetch(root.dataset.arrivalUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    setTimeout(ask, EVERY * 2); // offline for a moment: ask again a little later
    return;
  }
  if (response.ok) {
    const answer = await response.json();
    if (answer.status === "admitted") {
      location.reload();
      return;
    }
  } else if ([401, 403, 404].includes(response.status)) {
    location.reload(); // turned away, or the game is gone: the page says so
    return;
  }
  setTimeout(ask, EVERY);
}

setTimeout(ask, EVERY);
