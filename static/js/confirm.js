// Forms marked data-confirm ask first: decisions a host should not make by a slip of the finger.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset?.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
