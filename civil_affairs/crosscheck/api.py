"""REST endpoints of this app: (prefix, viewset, basename) triples, registered in urls.py."""

from typing import Any

routes: list[tuple[str, Any, str]] = []
