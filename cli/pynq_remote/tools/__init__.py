"""Host tools over the library: a local server (``server``), the health
report (``doctor``), link tests and benchmarks (``linktest``,
``benchmark``) and extension stubs (``extbuild``)."""
