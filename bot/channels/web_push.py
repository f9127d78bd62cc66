"""Web Push: a notification to each subscribed browser when a message joins its thread.

VAPID (RFC 8292) signs who we are with the key pair `atgt web keys` stored; the payload
is encrypted for the browser alone (RFC 8291, aes128gcm). A push is a doorbell: the message
is already in the thread, so a failed push is logged and never holds the thread back; a
404/410 from the push service means the subscription is gone, and it is deleted. A 429 is
the push service's flood control: it raises RetryAfter, the paced sender pauses every send
and tries again, and the subscriptions already pushed to are not pushed to twice.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import http_ece
import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.delivery import RetryAfter
from bot.core.messages import Reply
from bot.core.texts import t
from bot.services import web_push_store

log = logging.getLogger(__name__)

# The push services browsers use; endpoints elsewhere are refused (the server would post to
# any URL a signed-in user registers otherwise).
PUSH_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "push.apple.com",
    "notify.windows.com",
)
TTL_SECONDS = 24 * 3600
BODY_CHARS = 160
# A 429 without a usable Retry-After waits this long; a huge one is capped.
DEFAULT_RETRY_AFTER = 1.0
MAX_RETRY_AFTER = 3600.0


def b64url(data: bytes) -> str:
    """Unpadded URL-safe base64, as Web Push writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of b64url (padding optional)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushKeys:
    """The server's VAPID key pair."""

    def __init__(self, private_pem: str) -> None:
        key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID key must be an EC P-256 key")
        self.private_key = key
        point = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.public_key = b64url(point)

    @staticmethod
    def generate() -> PushKeys:
        """A fresh P-256 key pair."""
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return PushKeys(pem.decode("ascii"))

    @property
    def private_pem(self) -> str:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def authorization(self, endpoint: str, *, subject: str, now: datetime) -> str:
        """The VAPID Authorization header for one push service (its origin is the audience)."""
        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int((now + timedelta(hours=12)).timestamp()),
            "sub": subject,
        }
        header = b64url(json.dumps({"typ": "JWT", "alg": "ES256"}).encode())
        body = b64url(json.dumps(claims, separators=(",", ":")).encode())
        der = self.private_key.sign(f"{header}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        signature = b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
        return f"vapid t={header}.{body}.{signature}, k={self.public_key}"


def encrypt(payload: bytes, *, p256dh: str, auth: str) -> bytes:
    """The payload encrypted for one browser (a fresh sender key each time)."""
    return http_ece.encrypt(
        payload,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(p256dh),
        auth_secret=b64url_decode(auth),
        version="aes128gcm",
    )


def notification(reply: Reply) -> bytes:
    """What the notification says: the app's name and the start of the message."""
    text = reply.text or (reply.quiz.question if reply.quiz else "")
    if len(text) > BODY_CHARS:
        text = text[: BODY_CHARS - 1] + "…"
    return json.dumps({"title": t("web.app_name"), "body": text}, ensure_ascii=False).encode()


def retry_after(value: str | None) -> float:
    """Seconds a 429's Retry-After asks for (an HTTP date or nonsense: the default)."""
    try:
        seconds = float(value or "")
    except ValueError:
        return DEFAULT_RETRY_AFTER
    if seconds != seconds or seconds < 0:  # NaN or negative
        return DEFAULT_RETRY_AFTER
    return min(seconds, MAX_RETRY_AFTER)


def endpoint_allowed(endpoint: str, hosts: tuple[str, ...] | None) -> bool:
    """An https URL of a known push service (`hosts=None`: any http(s) URL, for tests)."""
    parts = urlsplit(endpoint)
    if hosts is None:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == allowed or host.endswith("." + allowed) for allowed in hosts
    )


class WebPush:
    """Sends one notification per subscription of a web chat."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        keys: PushKeys,
        subject: str,
        clock: Callable[[], datetime],
        http: httpx.AsyncClient | None = None,
        hosts: tuple[str, ...] | None = PUSH_HOSTS,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.keys = keys
        self._subject = subject
        self._clock = clock
        self._http = http or httpx.AsyncClient(timeout=10.0)
        self.hosts = hosts

    def accepts(self, endpoint: str) -> bool:
        """May a browser register this endpoint?"""
        return len(endpoint) <= 1000 and endpoint_allowed(endpoint, self.hosts)

    async def notify(self, chat_id: str, reply: Reply, done: set[int] | None = None) -> int:
        """Push to every subscription of the chat not in `done`; how many services took it.

        Each subscription handled (pushed, gone or failed) joins `done`, so a retry after
        RetryAfter (a 429) goes on with the rest.
        """
        done = set() if done is None else done
        async with self._sessionmaker() as session:
            subscriptions = await web_push_store.for_chat(session, chat_id=chat_id)
        payload = notification(reply)
        delivered = 0
        for subscription in subscriptions:
            if subscription.id in done:
                continue
            delivered += await self._push(subscription, payload)
            done.add(subscription.id)
        return delivered

    async def _push(self, subscription: web_push_store.Subscription, payload: bytes) -> int:
        try:
            body = encrypt(payload, p256dh=subscription.p256dh, auth=subscription.auth)
            headers = {
                "authorization": self.keys.authorization(
                    subscription.endpoint, subject=self._subject, now=self._clock()
                ),
                "content-encoding": "aes128gcm",
                "content-type": "application/octet-stream",
                "ttl": str(TTL_SECONDS),
                "urgency": "normal",
            }
            response = await self._http.post(subscription.endpoint, content=body, headers=headers)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("web push failed (%s); the message is in the thread", type(exc).__name__)
            return 0
        if response.status_code == 429:
            raise RetryAfter(retry_after(response.headers.get("retry-after")))
        if response.status_code in (404, 410):
            async with self._sessionmaker() as session, session.begin():
                await web_push_store.drop(session, subscription_id=subscription.id)
            log.info("web push subscription %d expired; removed", subscription.id)
            return 0
        if response.status_code >= 300:
            log.warning("web push refused: HTTP %d", response.status_code)
            return 0
        return 1

    async def aclose(self) -> None:
        await self._http.aclose()
