# libdrill's C API as SWIG wraps it (drill/capi.py, generated): untyped,
# so every name is Any to type checkers. The drill package's classes are
# the typed interface.
from typing import Any

def __getattr__(name: str) -> Any: ...
