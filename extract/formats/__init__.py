"""Format readers: each turns a file's bytes into plain text, paragraphs as lines and table
rows as tab-separated cells, for ``extract.read`` to normalise."""

__all__: list[str] = []
