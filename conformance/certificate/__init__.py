"""The certification package: one archive per run, in the way of a certification submission.

``outcomes`` classifies each case, ``profiles`` gives a verdict per named set of functions,
``security`` finds informational security facts, ``package`` lays out the files and
``archive`` writes them reproducibly with a SHA-256 manifest (and verifies one).
"""
