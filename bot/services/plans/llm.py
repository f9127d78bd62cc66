"""Optional: reword an extractive answer with an OpenAI-compatible chat-completions API.

Off unless ATGT_LLM_URL and ATGT_LLM_MODEL are set. The model sees the question, the
extractive answer and the passages it came from, nothing else; the citation is added by
the bot afterwards, never by the model. Any failure returns None and the extractive
answer stands:

    httpx.HTTPError (connect, timeout, HTTP status) ─┐
    ValueError (not JSON), KeyError/IndexError/TypeError (unexpected shape) ─┼─> None
    empty, too long, or a number that is not in the sources ─┘
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

log = logging.getLogger(__name__)

MAX_CHARS = 1200
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
SYSTEM_PROMPT = (
    "You help staff of a Vietnamese agency understand their traffic-safety campaign plans "
    "and traffic law. Rewrite the given extractive answer as one short, friendly reply in "
    "Vietnamese with correct diacritics. Use only facts stated in the passages; do not add "
    "names, dates, numbers or advice that are not there. Do not cite sources: the citation "
    "is appended separately. If the passages do not answer the question, return the "
    "extractive answer unchanged."
)


@dataclass(frozen=True, slots=True)
class LlmConfig:
    """Where and how to call the model."""

    url: str
    model: str
    api_key: SecretStr | None = None
    timeout: float = 15.0

    @property
    def endpoint(self) -> str:
        """The chat-completions URL; a base URL such as ".../v1" gets the path appended."""
        url = self.url.rstrip("/")
        return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


class ChatRephraser:
    """Calls the model once per answer; an injected transport replaces the network in tests."""

    def __init__(self, config: LlmConfig, transport: httpx.AsyncBaseTransport | None = None):
        self._config = config
        self._transport = transport

    async def __call__(self, question: str, answer: str, sources: Sequence[str]) -> str | None:
        """The reworded answer, or None to keep the extractive one."""
        try:
            text = await self._complete(_messages(question, answer, sources))
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            log.warning("LLM rephrasing failed (%s); extractive answer kept", type(exc).__name__)
            return None
        return _checked(text, answer, sources)

    async def _complete(self, messages: list[dict[str, str]]) -> str:
        """One chat-completions request; returns the first choice's text."""
        headers = {}
        if self._config.api_key is not None:
            headers["Authorization"] = f"Bearer {self._config.api_key.get_secret_value()}"
        payload = {"model": self._config.model, "messages": messages, "temperature": 0}
        async with httpx.AsyncClient(
            transport=self._transport, timeout=self._config.timeout
        ) as client:
            response = await client.post(self._config.endpoint, json=payload, headers=headers)
            response.raise_for_status()
            data = response.json()
        return data["choices"][0]["message"]["content"]


def _messages(question: str, answer: str, sources: Sequence[str]) -> list[dict[str, str]]:
    """The system prompt and one user message with the question, answer and passages."""
    passages = "\n\n".join(f"[{n}] {text}" for n, text in enumerate(sources[:3], start=1))
    user = f"Question: {question}\n\nExtractive answer: {answer}\n\nPassages:\n{passages}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def _checked(text: object, answer: str, sources: Sequence[str]) -> str | None:
    """The model's text if it is usable: non-empty, short, and inventing no numbers."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_CHARS:
        return None
    allowed = set(_NUMBER.findall(" ".join([answer, *sources])))
    invented = [n for n in _NUMBER.findall(text) if n not in allowed]
    if invented:
        log.warning("LLM answer dropped: numbers not in the sources %s", invented[:3])
        return None
    return text.strip()


def rephraser_from(
    url: str | None,
    model: str | None,
    api_key: SecretStr | None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ChatRephraser | None:
    """A rephraser when both the URL and the model are configured, else None (the default)."""
    if not (url and model):
        return None
    return ChatRephraser(LlmConfig(url, model, api_key), transport)
