"""The classroom: editions for students and instructors, presenting, handouts and class deployment.

- :mod:`.editions` builds the student and instructor editions of the lessons from one source.
- :mod:`.present` serves a lesson as an app (Voilà, code hidden) with a projector theme.
- :mod:`.export` writes a static HTML site of the executed lessons that renders offline, with the web assets
  shipped in ``web_assets/`` (widget renderer, MathJax, require.js).
- :mod:`.commands` adds ``build``, ``present`` and ``export`` to the ``petechiae-edu`` command line.
"""

INSTRUCTOR_TAG = "instructor"
EDITIONS = ("student", "instructor")  # here, not in .editions, so the command line can offer them without nbformat

__all__ = ["EDITIONS", "INSTRUCTOR_TAG"]
