"""The HTTP server of the intake: waitress, with a deadline for each request.

Why waitress and not a pre-forking server such as gunicorn: a comment form
is exposed to the open internet, where the cheap attack is the slow client
(send the headers, then one byte a second). A worker-per-connection server
gives each such client a worker until it times out, so a handful of them
stall everybody. Waitress reads every request whole in one asynchronous
I/O thread (``select``/``poll`` over all sockets) and hands it to a worker
thread only when it is complete, so a slow client costs a socket and a few
bytes of buffer, not a worker. It also enforces the body limit itself
(``max_request_body_size``, for chunked bodies as well as for a
``Content-Length``), answering 413 before the app sees anything, and caps
the header size. One process with a few threads is plenty for a comment
form; the queue's files and locks would allow more processes.

What waitress does not do is bound how long one request may take to
arrive: its ``channel_timeout`` closes channels that are *idle*, but a
client dripping a byte a second is never idle. :class:`DeadlineServer`
adds that: a request that has been arriving for longer than
``request_deadline`` seconds has its connection closed. Waitress's
maintenance pass, which this extends, runs every ``cleanup_interval``
seconds from the I/O loop (set to one second here).

Nor does waitress limit connections per client: its ``connection_limit``
is for all clients together, so one address holding 500 idle connections
kept every other reader waiting. :class:`DeadlineServer` also caps the
connections of one client address (``client_limit``, far below the total):
a connection over it is answered 429 at once and closed. Behind a reverse
proxy every connection comes from the proxy, so there the cap is the
proxy's (nginx's ``limit_conn``, see README.md "nginx") and the service
sets none.
"""

from __future__ import annotations

import time
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer

HEADER_LIMIT = 16 * 1024  # bytes of request line and headers
CONNECTION_LIMIT = 500  # all clients together
CLIENT_CONNECTION_LIMIT = 16  # one client address, when no proxy is in front
_TOO_MANY_BODY = b"Too many open connections from your address; close some and try again.\n"
TOO_MANY_CONNECTIONS = (
    b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 30\r\n"
    b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_TOO_MANY_BODY), _TOO_MANY_BODY)
)


class TimedParser(HTTPRequestParser):  # type: ignore[misc]
    """A request parser that remembers when the request's first byte arrived."""

    def __init__(self, adj: Any) -> None:
        super().__init__(adj)
        self.started = time.monotonic()


class TimedChannel(HTTPChannel):  # type: ignore[misc]
    parser_class = TimedParser


class DeadlineServer(TcpWSGIServer):  # type: ignore[misc]
    """waitress's TCP server, closing connections whose request takes longer than the deadline to arrive."""

    channel_class = TimedChannel
    request_deadline = 20.0
    client_limit: int | None = None  # connections one client address may hold; None: no cap

    def accept(self) -> tuple[Any, Any] | None:
        """asyncore's accept, refusing a connection over the client's cap (see the module's docstring)."""
        accepted = super().accept()
        if accepted is None or self.client_limit is None:
            return accepted  # type: ignore[no-any-return]
        conn, addr = accepted
        host = addr[0] if isinstance(addr, tuple) and addr else addr
        held = sum(1 for channel in self.active_channels.values() if channel.addr and channel.addr[0] == host)
        if held < self.client_limit:
            return accepted  # type: ignore[no-any-return]
        try:
            conn.send(TOO_MANY_CONNECTIONS)  # a fresh socket's buffer takes these few bytes at once
        except OSError:
            pass
        conn.close()
        return None

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # idle channels (channel_timeout)
        cutoff = time.monotonic() - self.request_deadline
        for channel in list(self.active_channels.values()):
            request = getattr(channel, "request", None)
            if isinstance(request, TimedParser) and not request.completed and request.started < cutoff:
                self.logger.info("closed a connection from %s: its request took longer than %.0f s to arrive",
                                 channel.addr[0] if channel.addr else "?", self.request_deadline)
                channel.will_close = True


def make_server(app: Any, host: str, port: int, *, threads: int, max_body: int, request_deadline: float,
                idle_timeout: float, connection_limit: int = CONNECTION_LIMIT,
                client_limit: int | None = CLIENT_CONNECTION_LIMIT) -> DeadlineServer:
    """A listening server for ``app``; call ``.run()`` to serve and ``.close()`` to stop.

    ``max_body`` is the app's own body limit (Flask's MAX_CONTENT_LENGTH,
    enforced for chunked bodies too by werkzeug's limited input stream).
    ``client_limit``: connections one client address may hold (None behind a
    proxy, which limits them itself).
    """
    server_class = type("ConfiguredServer", (DeadlineServer,),
                        {"request_deadline": request_deadline, "client_limit": client_limit})
    server: DeadlineServer = server_class(
        app,
        host=host,
        port=port,
        threads=threads,
        # Twice the app's limit: bodies a little too large reach the app, which
        # answers 413 with its own page (HTML for a browser, JSON for JSON);
        # anything larger waitress refuses before reading it, chunked or not.
        max_request_body_size=2 * max_body,
        max_request_header_size=HEADER_LIMIT,
        channel_timeout=idle_timeout,
        cleanup_interval=1,
        connection_limit=connection_limit,
        asyncore_use_poll=True,  # select() stops at 1024 file descriptors
        clear_untrusted_proxy_headers=False,  # the app's ProxyFix decides whom to trust
        ident="kb-comment-intake",
        expose_tracebacks=False,
    )
    return server
