"""Reports: what a report and a format are (`interface`), the catalogue of what plugins
offer, periods, parameters and small-count suppression (`catalogue`), SQL pieces both
databases share (`sql`), charts (`charts`) and the written 3R analysis (`realia`).

May use: the shared domain modules, `plugins.enabling` (which plugins a region has),
`portal.plugins` and `portal.models`.
"""

from portal.domain._moved import forwarder

__getattr__ = forwarder(__name__, "catalogue")
