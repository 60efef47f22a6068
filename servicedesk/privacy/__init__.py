"""Privacy: personnummer masked on arrival (:mod:`.masking`), retention (gallring,
:mod:`.retention`), and export and erasure of one person's data (:mod:`.persons`).

The masking names are re-exported here, since every channel uses them; the retention and
person modules are imported by their own names (they need the whole desk model).
"""

from servicedesk.privacy.masking import (
    MASK,
    NOTICE,
    Masked,
    claim_notice,
    contains_personnummer,
    forget_notice,
    mask_personnummer,
)

__all__ = [
    "MASK",
    "NOTICE",
    "Masked",
    "claim_notice",
    "contains_personnummer",
    "forget_notice",
    "mask_personnummer",
]
