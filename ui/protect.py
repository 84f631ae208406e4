"""What stands between the public internet and the app: request-size limits, a per-client rate
limit, and the browser security headers. One ASGI middleware; ``server.create_app`` adds it.

- **Size.** A request body larger than ``max_body_bytes`` (the staff console's uploads: ``max_upload_bytes``)
  is refused with 413 before it is read, whether it says its length or streams it.
- **Rate.** Each client address gets a token bucket for POST requests (``rate_per_minute``, burst
  ``rate_burst``); beyond it the answer is 429 with ``Retry-After``. The table of clients is bounded.
- **Headers.** Content-Security-Policy (frame-ancestors from ``embed_origins``, so the chat can sit
  in the clinic's own page and nowhere else; the staff console in no frame at all),
  X-Content-Type-Options, Referrer-Policy, Strict-Transport-Security, Permissions-Policy, and
  X-Frame-Options DENY for the staff console. Cookies get ``Secure`` (over HTTPS) and
  ``SameSite=Lax``.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

STAFF_PREFIX = "/staff"


@dataclass(frozen=True)
class Refusals:
    """What a turned-away request says (``prompts/ui/patient.yaml``, ``limits``)."""

    too_many: str = "Too many requests. Please wait a minute and try again. In a crisis, call or text 988, or call 911."
    too_large: str = "That message is too long. Please send a shorter one. In a crisis, call or text 988, or call 911."
    bad_request: str = "Something went wrong sending that message. Please try again."


@dataclass
class Limits:
    max_body_bytes: int = 256 * 1024
    max_upload_bytes: int = 20 * 1024 * 1024
    rate_per_minute: float = 60.0
    rate_burst: int = 20
    staff_rate_per_minute: float = 600.0
    """Staff console POSTs, counted apart: one console page makes a dozen calls as it loads, and its
    sign-in is throttled per user name (ui/accounts.py), so the patients' limit would lock staff out."""
    staff_burst: int = 200
    embed_origins: tuple[str, ...] = ()
    max_clients: int = 50_000


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class RateLimiter:
    per_minute: float
    burst: int
    max_clients: int = 50_000
    clock: object = time.monotonic
    _buckets: "OrderedDict[str, _Bucket]" = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> float:
        """0.0 when allowed; otherwise the seconds to wait."""
        now = self.clock()
        rate = self.per_minute / 60.0
        with self._lock:
            bucket = self._buckets.pop(client, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            self._buckets[client] = bucket
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate if rate > 0 else 60.0


def csp(frame_ancestors: str) -> str:
    # Gradio renders with inline scripts and styles; everything else comes from this origin only.
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: data:; connect-src 'self' ws: wss:; "
        f"worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )


class Protect:
    def __init__(self, app, limits: Limits, limiter: RateLimiter | None = None, refusals: Refusals | None = None):
        self.app = app
        self.limits = limits
        self.refusals = refusals or Refusals()
        self.limiter = limiter or RateLimiter(limits.rate_per_minute, limits.rate_burst, limits.max_clients)
        self.staff_limiter = RateLimiter(limits.staff_rate_per_minute, limits.staff_burst, limits.max_clients)
        origins = " ".join(o for o in limits.embed_origins if o and all(c not in o for c in ";,\n\r "))
        self._patient_csp = csp(f"'self' {origins}".strip()).encode()
        self._staff_csp = csp("'none'").encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        staff = path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")
        https = scope.get("scheme") == "https" or _header(scope, b"x-forwarded-proto") == b"https"
        limit = self.limits.max_upload_bytes if staff and "upload" in path else self.limits.max_body_bytes

        if scope.get("method") == "POST":
            wait = (self.staff_limiter if staff else self.limiter).allow(_client(scope))
            if wait > 0:
                return await _plain(send, 429, self.refusals.too_many, {b"retry-after": str(max(1, round(wait))).encode()})
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                if int(declared) > limit:
                    return await _plain(send, 413, self.refusals.too_large)
            except ValueError:
                return await _plain(send, 400, self.refusals.bad_request)

        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # A streamed body: read it here, up to the limit, and hand it on whole.
            chunks, seen = [], 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return
                seen += len(message.get("body", b""))
                if seen > limit:
                    return await _plain(send, 413, self.refusals.too_large)
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

            async def receive_replayed():
                return replay.pop() if replay else await receive()

            receive = receive_replayed

        async def headed_send(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"]
                for k, v in message.get("headers", []):
                    if k.lower() == b"set-cookie":
                        headers.append((k, _harden_cookie(v, https)))
                headers += [
                    (b"content-security-policy", self._staff_csp if staff else self._patient_csp),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
                    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if staff:
                    headers.append((b"x-frame-options", b"DENY"))
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, headed_send)


def _header(scope, name: bytes) -> bytes | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return v
    return None


def _client(scope) -> str:
    client = scope.get("client") or ("unknown", 0)
    return str(client[0])


def _harden_cookie(value: bytes, https: bool) -> bytes:
    parts = [p.strip() for p in value.decode("latin-1").split(";")]
    kept = [p for p in parts if p.split("=")[0].strip().lower() not in ("samesite", "secure")]
    kept.append("SameSite=Lax")
    if https:
        kept.append("Secure")
    return "; ".join(kept).encode("latin-1")


async def _plain(send, status: int, text: str, extra: dict[bytes, bytes] | None = None) -> None:
    body = json.dumps({"error": text}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"x-content-type-options", b"nosniff")]
    headers += list((extra or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
