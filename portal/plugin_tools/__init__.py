"""Tools around plugins, for the offices and for plugin authors: the `portal plugins …`
commands (list, enable, disable) and `portal plugin …` (new: a working skeleton;
translations: a plugin's own Swedish catalogue). Kept out of `portal.cli` so that the
portal's own commands stay small."""
