"""Other ways to show the course, built from the same notebooks (maintainers' and teachers' tools).

* :mod:`helpers.editions.app` — classroom app mode: a chapter's prose, charts and live panels with the code
  hidden, served by Voila on this machine (``make app CHAPTER=05``).
* :mod:`helpers.editions.site` — the web edition: the whole course as a static site, built offline with
  Sphinx, MyST-NB and sphinx-book-theme (``make site``).

Both pick up every notebook that exists (:func:`helpers.course.notebook_files`), so a new chapter needs
nothing here.
"""
