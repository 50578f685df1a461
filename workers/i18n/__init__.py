"""The buyer's language in what the workers write: the catalogues of words (gettext, by Babel)
and the formats of money and times (Babel's CLDR data)."""
