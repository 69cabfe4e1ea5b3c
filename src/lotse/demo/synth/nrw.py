"""The 54 KIM Träger of North Rhine-Westphalia and their relative caseloads.

The weights approximate the immigrant population of each Kreis or kreisfreie Stadt (Köln is
about 20 times Coesfeld), so the generated state is as uneven as the real one. The Stadt Aachen
takes part in KIM on its own, next to the rest of the StädteRegion Aachen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TraegerSpec:
    slug: str
    name: str
    kind: str  # tenancy.Traeger.Kind
    weight: int


_CITIES = (
    ("koeln", "Stadt Köln", 200),
    ("duesseldorf", "Landeshauptstadt Düsseldorf", 120),
    ("dortmund", "Stadt Dortmund", 120),
    ("essen", "Stadt Essen", 110),
    ("duisburg", "Stadt Duisburg", 110),
    ("wuppertal", "Stadt Wuppertal", 75),
    ("bielefeld", "Stadt Bielefeld", 65),
    ("bochum", "Stadt Bochum", 60),
    ("bonn", "Bundesstadt Bonn", 60),
    ("gelsenkirchen", "Stadt Gelsenkirchen", 60),
    ("moenchengladbach", "Stadt Mönchengladbach", 50),
    ("muenster", "Stadt Münster", 45),
    ("aachen", "Stadt Aachen", 45),
    ("krefeld", "Stadt Krefeld", 45),
    ("oberhausen", "Stadt Oberhausen", 40),
    ("hagen", "Stadt Hagen", 40),
    ("hamm", "Stadt Hamm", 35),
    ("muelheim", "Stadt Mülheim an der Ruhr", 32),
    ("leverkusen", "Stadt Leverkusen", 32),
    ("herne", "Stadt Herne", 32),
    ("solingen", "Klingenstadt Solingen", 30),
    ("remscheid", "Stadt Remscheid", 22),
    ("bottrop", "Stadt Bottrop", 18),
)
_KREISE = (
    ("recklinghausen", "Kreis Recklinghausen", 75),
    ("mettmann", "Kreis Mettmann", 70),
    ("rhein-sieg", "Rhein-Sieg-Kreis", 65),
    ("rhein-kreis-neuss", "Rhein-Kreis Neuss", 60),
    ("rhein-erft", "Rhein-Erft-Kreis", 60),
    ("maerkischer-kreis", "Märkischer Kreis", 50),
    ("wesel", "Kreis Wesel", 45),
    ("unna", "Kreis Unna", 45),
    ("guetersloh", "Kreis Gütersloh", 45),
    ("staedteregion-aachen", "StädteRegion Aachen", 40),
    ("ennepe-ruhr", "Ennepe-Ruhr-Kreis", 35),
    ("kleve", "Kreis Kleve", 35),
    ("dueren", "Kreis Düren", 35),
    ("paderborn", "Kreis Paderborn", 35),
    ("lippe", "Kreis Lippe", 35),
    ("borken", "Kreis Borken", 30),
    ("steinfurt", "Kreis Steinfurt", 30),
    ("herford", "Kreis Herford", 30),
    ("minden-luebbecke", "Kreis Minden-Lübbecke", 30),
    ("soest", "Kreis Soest", 30),
    ("siegen-wittgenstein", "Kreis Siegen-Wittgenstein", 30),
    ("viersen", "Kreis Viersen", 30),
    ("heinsberg", "Kreis Heinsberg", 28),
    ("oberbergischer-kreis", "Oberbergischer Kreis", 28),
    ("rheinisch-bergischer-kreis", "Rheinisch-Bergischer Kreis", 25),
    ("warendorf", "Kreis Warendorf", 22),
    ("hochsauerlandkreis", "Hochsauerlandkreis", 22),
    ("euskirchen", "Kreis Euskirchen", 17),
    ("olpe", "Kreis Olpe", 12),
    ("hoexter", "Kreis Höxter", 10),
    ("coesfeld", "Kreis Coesfeld", 10),
)

TRAEGER: tuple[TraegerSpec, ...] = tuple(
    TraegerSpec(f"synth-{slug}", name, "kreisfreie_stadt", weight) for slug, name, weight in _CITIES
) + tuple(TraegerSpec(f"synth-{slug}", name, "kreis", weight) for slug, name, weight in _KREISE)

#: Named sizes (persons in the whole state): one Kreis' worth, NRW, and a stress step.
SIZES: dict[str, int] = {"kreis": 50_000, "nrw": 3_300_000, "stress": 10_000_000}


def persons_per_traeger(total: int, specs: tuple[TraegerSpec, ...]) -> list[int]:
    """``total`` persons spread over ``specs`` by weight (largest remainder, sums to ``total``)."""
    weight_sum = sum(spec.weight for spec in specs)
    exact = [total * spec.weight / weight_sum for spec in specs]
    counts = [int(value) for value in exact]
    rest = total - sum(counts)
    by_remainder = sorted(range(len(specs)), key=lambda i: (counts[i] - exact[i], i))
    for index in by_remainder[:rest]:
        counts[index] += 1
    return counts
