"""Text helpers shared by the channels."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Cut text on line breaks (or hard, for a single huge line) into chunks of ≤ limit."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current.strip():
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]
