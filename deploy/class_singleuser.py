"""Start a student's Jupyter server for the class (``c.Spawner.cmd`` in jupyterhub_config.py).

The same as ``jupyterhub-singleuser``, less one optional import that costs every student's server about 26 MB:
jsonschema loads the ``rfc3987_syntax`` parser (a large grammar) when it is installed, to check "iri"/"uri"
formats in the schemas of Jupyter's event log. A class server needs no such check, and jsonschema skips a format
whose checker cannot be imported; marking the module as absent (``None`` in ``sys.modules``, the standard way to
block an import) is all it takes. Measured with benchmarks/bench_class_memory.py.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

from jupyterhub.singleuser import main  # noqa: E402  (after the import is blocked)

if __name__ == "__main__":
    sys.exit(main())
