"""Class results without a server of ours: answers recorded in the student's workspace, exported as one file
the student hands in, summarised for the instructor.

- :mod:`.answers` records each self-check answer in the workspace (no network, no name);
- :mod:`.export` writes one results file (``petechiae-edu results export``);
- :mod:`.summary` computes per-question difficulty and discrimination, per-lesson completion and the wrong
  options chosen most (``petechiae-edu results summary``); :mod:`.report` renders it as a table and HTML page.
"""
