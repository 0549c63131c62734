"""Pictures the course draws into its self-checks, cases and blood-count reader: the typed picture spec.

A picture is written in a content file as a small inline table, for example in a self-check question::

    picture = { kind = "film", film = "apl", seed = 3 }
    picture = { kind = "skin", lesion = "petechiae", skin_tone = 6, site = "palate", seed = 1 }

``kind = "film"`` is a drawn field of a stained peripheral blood film (one of :data:`FILMS`);
``kind = "skin"`` is a drawn patch of skin or mucosa with a lesion (:data:`SKIN_LESIONS`) at a site
(:data:`SKIN_SITES`), on a skin tone of the Fitzpatrick scale (whole numbers 1–6, :data:`SKIN_TONES`).
The drawings themselves live in :mod:`petechiae_edu.figures` (``skin.draw_skin``, ``blood_film.draw_blood_film``)
and are turned into PNG bytes and alt text by :mod:`petechiae_edu.pictures`; this module only says what a valid
spec is, so ``petechiae-edu check`` refuses a bad one (an unknown film, lesion or site, a tone outside 1–6, a field
of the other kind) with a message naming the file, the entry, the field, the bad value and what was expected.

``alt`` is optional text for screen readers. In a self-check or a case the picture is drawn without the film's
name (which would give the answer away), and its alt text lists the cells drawn; write ``alt`` to describe what a
sighted student sees more fully, and no more (never the diagnosis).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import FieldError

PICTURE_KINDS = ("skin", "film")
# The nine films petechiae_edu.figures.blood_film draws.
FILMS = ("normal", "aml", "apl", "all", "cll", "cml", "itp", "ttp", "edta_clumps")
# What each film shows, in the words a caption uses ("an illustration of the typical film of ...").
FILM_NAMES = {
    "normal": "a normal blood film",
    "aml": "acute myeloid leukaemia (AML)",
    "apl": "acute promyelocytic leukaemia (APL)",
    "all": "acute lymphoblastic leukaemia (ALL)",
    "cll": "chronic lymphocytic leukaemia (CLL)",
    "cml": "chronic myeloid leukaemia (CML) in chronic phase",
    "itp": "immune thrombocytopenia (ITP)",
    "ttp": "a thrombotic microangiopathy such as TTP",
    "edta_clumps": "platelet clumps in an EDTA sample (pseudothrombocytopenia)",
}
# What petechiae_edu.figures.skin draws: lesions, and where on the body.
SKIN_LESIONS = ("petechiae", "purpura", "ecchymosis", "palpable purpura", "erythema")
SKIN_SITES = ("leg", "chest", "buttocks", "palate", "conjunctiva")
GLASS_SITES = ("leg", "chest", "buttocks")  # the glass test is done on skin, not on the palate or the conjunctiva
SKIN_TONES = (1, 2, 3, 4, 5, 6)  # Fitzpatrick skin types I–VI
DEFAULT_SITE = "leg"
LARGEST_SEED = 2**32 - 1  # numpy's seed range

_SKIN_ONLY = ("lesion", "skin_tone", "site", "glass")
_FILM_ONLY = ("film", "labelled")


def _words(allowed: tuple[str, ...]) -> str:
    return ", ".join(f"'{word}'" for word in allowed)


def require_film(field: str, film: str) -> None:
    """Raise a :class:`FieldError` on ``field`` unless ``film`` is one of the nine drawn films."""
    if film not in FILMS:
        raise FieldError(field, f"'{film}' is not a film the course draws; expected one of {_words(FILMS)}")


@dataclass(frozen=True)
class Picture:
    """A drawing to show with a question or a finding: a blood film or a patch of skin, with its seed.

    ``seed`` picks one of the many drawings of the same film or lesion (a whole number 0 to 2^32 − 1); the same
    spec always gives the same picture.
    """

    kind: str
    film: str | None = None
    labelled: bool = False
    lesion: str | None = None
    skin_tone: int | None = None
    site: str | None = None
    glass: bool = False
    seed: int = 0
    alt: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in PICTURE_KINDS:
            raise FieldError("kind", f"'{self.kind}' is not a kind of picture; expected {_words(PICTURE_KINDS)}")
        if self.kind == "film":
            self._check_film()
        else:
            self._check_skin()
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= LARGEST_SEED:
            raise FieldError("seed", f"{self.seed!r} is not a seed; expected a whole number from 0 to {LARGEST_SEED}")

    def _check_film(self) -> None:
        if self.film is None:
            raise FieldError("film", f"a film picture needs film = one of {_words(FILMS)}")
        require_film("film", self.film)
        for name in _SKIN_ONLY:
            if getattr(self, name) not in (None, False):
                raise FieldError(
                    name, f"'{name}' belongs to kind = \"skin\"; a film picture takes only film, labelled, seed, alt"
                )

    def _check_skin(self) -> None:
        if self.lesion is None:
            raise FieldError("lesion", f"a skin picture needs lesion = one of {_words(SKIN_LESIONS)}")
        if self.lesion not in SKIN_LESIONS:
            raise FieldError(
                "lesion", f"'{self.lesion}' is not a lesion the course draws; expected one of {_words(SKIN_LESIONS)}"
            )
        if self.skin_tone is None:
            raise FieldError("skin_tone", "a skin picture needs skin_tone = a Fitzpatrick skin type, 1 to 6")
        if isinstance(self.skin_tone, bool) or self.skin_tone not in SKIN_TONES:
            raise FieldError(
                "skin_tone",
                f"{self.skin_tone!r} is not a skin tone; expected a Fitzpatrick skin type, a whole number from 1 to 6",
            )
        if self.site is not None and self.site not in SKIN_SITES:
            raise FieldError(
                "site", f"'{self.site}' is not a site the course draws; expected one of {_words(SKIN_SITES)}"
            )
        if self.glass and self.where not in GLASS_SITES:
            raise FieldError(
                "glass",
                f"glass = true at site '{self.where}': the glass test is done on skin ({', '.join(GLASS_SITES)}), "
                "not on the palate or the conjunctiva",
            )
        for name in _FILM_ONLY:
            if getattr(self, name) not in (None, False):
                raise FieldError(
                    name,
                    f"'{name}' belongs to kind = \"film\"; a skin picture takes lesion, skin_tone, site, glass, "
                    "seed, alt",
                )

    @property
    def where(self) -> str:
        """The site drawn (skin pictures; the default is the lower leg), or '' for a film."""
        return (self.site or DEFAULT_SITE) if self.kind == "skin" else ""

    def label(self) -> str:
        """A short name of the spec for messages and captions, e.g. ``film 'apl' (seed 3)``."""
        if self.kind == "film":
            return f"film '{self.film}' (seed {self.seed})"
        glass = ", under a pressed glass" if self.glass else ""
        return f"skin '{self.lesion}' on the {self.where}, tone {self.skin_tone}{glass} (seed {self.seed})"


def film_picture(film: str, *, seed: int = 0, labelled: bool = False) -> Picture:
    """The spec of a drawn blood film (``film`` one of :data:`FILMS`), with a clear error for a bad name."""
    try:
        return Picture(kind="film", film=film, seed=seed, labelled=labelled)
    except FieldError as error:
        raise ValueError(f"{error.field}: {error.message}") from None
