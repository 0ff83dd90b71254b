"""mmgame: forecasting markets on numeric quantities, played live in the browser."""
