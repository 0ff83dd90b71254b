"""The browser game: server-rendered pages for the host (teacher) and the players (students)."""
