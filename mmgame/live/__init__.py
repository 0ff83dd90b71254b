"""Live screens: websockets that keep every player, host and projector screen of a game in step.

`news` is what the services call after a commit; `hub` fans news out inside a process; `consumers`
serves the sockets; `selectors` holds their reads; `protocol` reads what screens send; `routing` maps
the URLs. The wire format is docs/protocol.md.
"""
