"""The probe: calls the service from inside the consumer VPC, as a client there would.

It runs in the consumer's client security group, so a PASS also proves that group's rules.
The URL is fixed by the deployment (SERVICE_URL); an event may only choose the path, so the
function can reach nothing but the service. With CONNECT_TO set, it connects to that host
(the endpoint) and still verifies TLS against the URL's name, as `curl --connect-to` does.
Returns status, headers, a body excerpt and the latency, or the error when no answer came.
"""

import http.client
import os
import socket
import ssl
import time
import urllib.parse

BODY_EXCERPT_CHARS = 1024
DEFAULT_TIMEOUT_SECONDS = 5.0
# A Lambda function behind an ALB answers at most 1 MB: no more is read.
MAX_BODY_BYTES = 1024 * 1024


class _TlsConnection(http.client.HTTPSConnection):
    """HTTPS to `connect_to`, verifying the certificate against the URL's host name."""

    def __init__(self, host, port, connect_to, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._connect_to = connect_to
        self._tls = context

    def connect(self):
        sock = socket.create_connection((self._connect_to, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _path(event):
    path = event.get("path", "/") if isinstance(event, dict) else "/"
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//") or any(c in path for c in "\r\n\t #"):
        raise ValueError("path must be a string starting with a single / and without spaces, control characters or #")
    # Non-ASCII characters go as UTF-8, percent-encoded, as a browser or curl sends them.
    return "".join(c if ord(c) < 128 else urllib.parse.quote(c) for c in path)


def _timeout():
    try:
        value = float(os.environ.get("PROBE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_TIMEOUT_SECONDS


def _connection(url, timeout):
    connect_to = os.environ.get("CONNECT_TO") or url.hostname
    if url.scheme == "https":
        bundle = os.environ.get("PROBE_CA_BUNDLE")
        context = ssl.create_default_context(cafile=bundle) if bundle else ssl.create_default_context()
        return _TlsConnection(url.hostname, url.port or 443, connect_to, timeout, context)
    return http.client.HTTPConnection(connect_to, url.port or 80, timeout=timeout)


def _whole_body(response, deadline, timeout):
    """The start of the answer's body, once all of it has come (up to MAX_BODY_BYTES).

    The whole answer must come within the timeout (a body that trickles in fails, as a
    client's would), and a body cut off before its Content-Length fails too: read(n) alone
    returns the short body without a word, as if it were whole.
    """
    kept = b""
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no whole answer within {timeout:g} s")
        chunk = response.read1(65536)
        if not chunk:
            break
        total += len(chunk)
        kept += chunk[: max(0, BODY_EXCERPT_CHARS * 4 - len(kept))]
        if total >= MAX_BODY_BYTES:
            return kept
    if response.length:
        raise http.client.IncompleteRead(kept, response.length)
    return kept


def handler(event, context):
    url = urllib.parse.urlsplit(os.environ["SERVICE_URL"])
    try:
        path = _path(event)
    except ValueError as err:
        return {"ok": False, "error": str(err)}
    target = urllib.parse.urlunsplit((url.scheme, url.netloc, path, "", ""))
    started = time.monotonic()
    elapsed = lambda: round((time.monotonic() - started) * 1000, 1)
    timeout = _timeout()
    connection = _connection(url, timeout)
    try:
        connection.request("GET", path, headers={"Host": url.netloc, "User-Agent": "privatelink-probe"})
        response = connection.getresponse()
        body = _whole_body(response, started + timeout, timeout)
        return {
            "ok": True,
            "url": target,
            "status": response.status,
            "headers": {k.lower(): v for k, v in response.getheaders()},
            "bodyExcerpt": body.decode("utf-8", errors="replace")[:BODY_EXCERPT_CHARS],
            "latencyMs": elapsed(),
        }
    except Exception as err:  # no answer: DNS, connection, TLS or timeout
        return {"ok": False, "url": target, "error": f"{type(err).__name__}: {err}", "latencyMs": elapsed()}
    finally:
        connection.close()
