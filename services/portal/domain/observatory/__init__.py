"""The public observatory's computation core: indicators computed from OCDS compiled releases as the platform
publishes them (plus reference costs), so that anyone recomputes every figure from the same data.

``ocds_read`` is the one place that knows the OCDS shape and the platform's conventions; each indicator family
(``coverage``, ``spending``, ``competition``, ``sustainability``, ``red_flags``) is a pure function over its
typed calls that names the ocids behind every figure. ``report`` computes them all; ``tables`` lays them out.
"""
