"""Live screens: websockets that keep every player, host and projector screen of a game in step.

`news` forwards mmgame.events to the other server processes; `hub` fans news out inside a process;
`consumers` serves the sockets, `handlers` opens them and answers what players send over them (asking
mmgame.access and reading through mmgame.queries); `codes` maps refusals to close codes; `protocol` reads
what screens send; `routing` maps the URLs; `process` resets what a forked child must not inherit. The
wire format is docs/protocol.md.
"""
