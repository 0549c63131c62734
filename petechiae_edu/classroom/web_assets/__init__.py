"""The web assets the offline handout pages load (widget renderer, MathJax, require.js), shipped in the package.

``petechiae-edu export`` copies the files listed in ``SHA256SUMS`` here into each site's ``_static/``; it never
downloads anything. ``README.md`` here says what each file is; :mod:`.refresh` is the maintainer tool that
re-downloads the pinned npm packages.
"""
