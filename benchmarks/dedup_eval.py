"""Measure near-duplicate detection on a generated corpus of syndicated and same-topic stories.

Run: ``python benchmarks/dedup_eval.py`` (add ``--rebuild 100000`` to time rebuilding the index
from 100k stored signatures). Needs nothing outside the repository.

The corpus is deterministic (fixed seed). Stories are built by recombining sentence templates about
the same few kinds of event (attacks, protests, raids, air strikes, talks) with different actors,
places, numbers and days, so unrelated stories share a lot of wording, as real coverage of one
conflict does. Three kinds of hard negative are mixed in:

- *sibling* stories: another agency's report of the same event (same actors, place, numbers,
  day), written from other templates;
- *follow-up* stories: a later story on the same event that reuses two or three background
  paragraphs of the first one under a new top (a new toll, new reactions);
- *template twins*: unrelated stories that happen to pick many of the same templates.

Each story is then syndicated as several pages: a different headline (not part of the body), a
dateline and byline, outlet furniture (share and subscribe lines, "Read more", copyright, photo
credits) passed through eventwire's own cleanup, a trimmed ending, an added local paragraph or
sentence, and light copy-edits ("said on Tuesday" -> "said Tuesday", numbers as words, UK/US
spelling, "said" -> "told reporters").

Scoring is pairwise over pages: a predicted pair is two pages the deduplicator put in one story, a
gold pair two pages generated from one story. Pages are processed in a shuffled order, one at a
time, exactly as ``ingest`` does (find the best stored match, else store as a new story).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from eventwire.dedup import (
    DedupOptions,
    NearDuplicateIndex,
    Signature,
    pairs_of,
    shingles,
    signature,
)
from eventwire.ingest.base import clean_body

# -- fillers ---------------------------------------------------------------------------------------------

PLACES = [
    # (town, region, country)
    ("Kidal", "Kidal region", "Mali"),
    ("Gao", "Gao region", "Mali"),
    ("Mopti", "Mopti region", "Mali"),
    ("Menaka", "Menaka region", "Mali"),
    ("Djibo", "Soum province", "Burkina Faso"),
    ("Dori", "Seno province", "Burkina Faso"),
    ("Fada N'Gourma", "Gourma province", "Burkina Faso"),
    ("Tillaberi", "Tillaberi region", "Niger"),
    ("Diffa", "Diffa region", "Niger"),
    ("Maiduguri", "Borno state", "Nigeria"),
    ("Bama", "Borno state", "Nigeria"),
    ("Damaturu", "Yobe state", "Nigeria"),
    ("Beni", "North Kivu province", "Congo"),
    ("Bunia", "Ituri province", "Congo"),
    ("Goma", "North Kivu province", "Congo"),
    ("El Fasher", "North Darfur", "Sudan"),
    ("Kadugli", "South Kordofan", "Sudan"),
    ("Marawi", "Lanao del Sur", "the Philippines"),
    ("Cotabato", "Maguindanao", "the Philippines"),
    ("Sittwe", "Rakhine state", "Myanmar"),
    ("Lashio", "Shan state", "Myanmar"),
    ("Quetta", "Balochistan province", "Pakistan"),
    ("Peshawar", "Khyber Pakhtunkhwa province", "Pakistan"),
    ("Idlib", "Idlib province", "Syria"),
]
ARMED_GROUPS = [
    "fighters of the Sahel Liberation Front",
    "Islamic State militants",
    "al-Qaeda-linked fighters",
    "gunmen of the Popular Defence Army",
    "insurgents of the Northern Resistance Movement",
    "rebels of the March 23 Movement",
    "fighters loyal to the Eastern Alliance",
    "militiamen of the Coalition for Change",
    "members of the Free Highlands Brigade",
    "armed men believed to belong to the River Guard militia",
]
FORCES = ["the army", "soldiers", "police", "the gendarmerie", "government troops", "security forces"]
PROTESTERS = [
    "students",
    "teachers demanding unpaid wages",
    "supporters of the jailed opposition leader",
    "traders protesting a new market tax",
    "women's groups",
    "residents angry about power cuts",
    "farmers demanding compensation for seized land",
    "miners",
]
FIRST = ["Amadou", "Fatima", "Ibrahim", "Grace", "Joseph", "Aisha", "Moussa", "Mariam", "Daniel", "Nadia"]
LAST = ["Traore", "Diallo", "Okafor", "Mensah", "Kabila", "Rahman", "Santos", "Khan", "Haidara", "Bello"]
ROLES = [
    ("army spokesman", "the army"),
    ("police spokeswoman", "the police"),
    ("regional governor", "the regional government"),
    ("interior minister", "the government"),
    ("local official", "the local council"),
    ("mayor", "the town hall"),
    ("hospital director", "the regional hospital"),
    ("rights researcher", "Amnesty International"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEAPONS = [
    "rifles and rocket-propelled grenades",
    "heavy machine guns",
    "an explosive-laden truck",
    "mortars",
]
OUTLETS = [
    "Harbour Daily",
    "The Plains Courier",
    "Sahel Morning Post",
    "Lakeside Tribune",
    "Continental Wire Review",
    "The Evening Ledger",
    "Delta Chronicle",
    "Capital Star",
    "Northern Observer",
    "Frontier Gazette",
    "Metro Herald",
    "The Weekly Dispatch",
]

# -- templates -------------------------------------------------------------------------------------------
# Slots: {group} {force} {town} {region} {country} {n} {w} {day} {name} {role} {org} {weapon} {crowd}
# {k} (a second number) {target}.

KIND_TEMPLATES: dict[str, dict[str, list[str]]] = {
    "attack": {
        "lead": [
            "[At least|More than|Some] {n} people were [killed|shot dead] when {group} "
            "[attacked|stormed|raided] {target} near {town} in {country}'s {region} on {day}, "
            "[officials said|local officials said|security sources said].",
            "{group_cap} [stormed|attacked|overran] {target} outside {town} on {day}, killing {n} people "
            "and [wounding|injuring] {w} [others|more], according to [local officials|the authorities|"
            "residents].",
            "Suspected {group} killed {n} people in [an attack|a raid|an assault] on {target} in {region} on "
            "{day}, the [latest|most recent] in a [wave|string|series] of [violence|attacks] in the "
            "[north|east|centre] of {country}.",
            "Gunmen [killed|shot dead] [at least|] {n} people in a [raid|night raid|dawn raid] on {target} "
            "near {town} [late on|early on|on] {day}, [residents and security sources said|witnesses "
            "said|a local lawmaker said].",
        ],
        "detail": [
            "The attackers arrived on [motorcycles|pick-up trucks|foot] [shortly after dawn|in the "
            "early evening|around midnight] and opened fire with {weapon}, [witnesses said|a resident "
            "said|according to survivors], before [setting fire to|looting|burning] [shops and "
            "homes|the market|granaries].",
            "The [assault|attack|fighting] lasted [several hours|most of the night|about two hours] before "
            "{force} arrived from {town} and [pushed the attackers back|drove the attackers off|forced the "
            "gunmen to retreat] towards the [border|bush|hills].",
            "[Residents|Survivors|Villagers] said the gunmen went from house to house, [taking|stealing] "
            "[livestock and food|cattle and grain|motorbikes and phones], and [abducted|kidnapped|took away] "
            "at least {k} [young men|women|teenagers].",
            "A second group of attackers [ambushed|attacked] a [military patrol|convoy of soldiers|police "
            "unit] sent as reinforcements, killing {k} [soldiers|officers], a [security source|military "
            "source|local official] said.",
            "The attackers [used|were armed with] {weapon} and [left|withdrew|fled] before [reinforcements|"
            "troops|the army] reached the area, according to a [resident|farmer|shopkeeper] who asked not to "
            "be named [for fear of reprisals|for security reasons|].",
        ],
        "toll": [
            "The toll could [rise|climb|increase], as several of the {w} wounded were in [a critical|a "
            "serious|a grave] condition at the hospital in {town}, a [medical source|doctor|nurse] said.",
            "Among the dead were {k} [children|women|teachers] and a [local imam|village chief|health "
            "worker], a relative of one of the victims said [by telephone|from {town}|].",
            "A [provisional|preliminary|first] toll given by the authorities put the number of dead at {n}, "
            "while [residents|survivors|local leaders] said more bodies had been found in the [bush|fields|"
            "surrounding villages].",
        ],
    },
    "protest": {
        "lead": [
            "[Thousands|Hundreds|Tens of thousands] of {crowd} [marched through|took to the streets of|"
            "rallied in] {town} on {day}, and police fired [tear gas|rubber bullets|warning shots] to "
            "disperse them near the [governor's office|parliament|central market].",
            "Police in {town} arrested {n} people on {day} as {crowd} [blocked|barricaded|occupied] the main "
            "[road|highway|bridge] into the city for a [third|second|fourth] day.",
            "Clashes between police and {crowd} in {town} left {n} people [injured|hurt|wounded] on {day}, "
            "the [regional health authority|local hospital|Red Cross] said.",
            "[Several thousand|Thousands of|Hundreds of] {crowd} [rallied|gathered|demonstrated] in {town}, "
            "the [capital|main city] of {region}, on {day}, defying a ban on [public gatherings|protests|"
            "marches].",
        ],
        "detail": [
            "Protesters [burned tyres|set up barricades|blocked junctions] and chanted slogans against the "
            "[government|president|governor], and some threw stones at [officers|police|riot police], "
            "[witnesses said|according to witnesses|a reporter saw].",
            "Shops in the [city centre|old town|main market] [stayed|remained] closed and public transport "
            "was [suspended|halted|disrupted] for [most of the day|several hours|the whole day].",
            "Organisers said the [march|rally|protest] was peaceful until police [charged|fired on|attacked] "
            "the crowd without warning near the [central market|university|bus station].",
            "Riot police used [water cannon|tear gas|batons] and [batons|rubber bullets|dogs], and at least "
            "{k} journalists were [briefly detained|beaten|arrested], a [press freedom|media rights] group "
            "said.",
            "The [demonstrators|protesters|marchers] dispersed in the [evening|afternoon|late afternoon] but "
            "[vowed|promised|pledged] to return on {day2}.",
        ],
        "toll": [
            "The hospital in {town} said it had treated {w} people, most of them for [the effects of tear "
            "gas|broken bones|cuts and bruises].",
            "Police said {k} officers were [hurt|injured] and that {n} people had been [detained|held|"
            "arrested] for questioning.",
            "[Rights groups|Lawyers|Human rights activists] said at least {k} of those arrested were "
            "[minors|students|women].",
        ],
    },
    "strike": {
        "lead": [
            "[Air strikes|Airstrikes|Drone strikes] hit [positions|bases|hideouts] held by {group} near "
            "{town} on {day}, killing [at least|about|] {n} fighters, the [army|military|defence ministry] "
            "said.",
            "{force_cap} said it killed {n} [militants|fighters|insurgents] in [drone|air] strikes on "
            "[hideouts|camps|bases] in {region} on {day}, a claim that could not be [independently "
            "verified|confirmed].",
            "An air strike on a [market|wedding|funeral] in {town} killed {n} civilians on {day}, "
            "[residents said|witnesses said|a local official said], blaming the [military|army|air force] "
            "for the attack.",
        ],
        "detail": [
            "The strikes targeted [weapons depots|fuel stores|command posts] and a training camp used by the "
            "[group|militants|insurgents], the army said in a [statement|communique|post on social media].",
            "[Residents|Witnesses|Traders] said the strike hit shortly after [midday|noon|sunrise], when the "
            "market was crowded with [traders|shoppers|families] from [surrounding villages|nearby towns|"
            "across the district].",
            "The military said the operation followed [weeks|months] of [surveillance|intelligence work] and "
            "that no civilians were harmed, a [statement|claim|version] that residents [disputed|rejected|"
            "contested].",
            "[Footage|Videos|Images] shared on social media showed [collapsed buildings|burned vehicles|"
            "destroyed stalls] and a large crater, though [it|they] could not be [verified|authenticated].",
        ],
        "toll": [
            "A [medical worker|nurse|doctor] in {town} said {w} wounded people had been brought to the "
            "[hospital|clinic|health centre], including women and children.",
            "[Residents|Relatives|Neighbours] said {k} of the dead were members of one family who had fled "
            "fighting elsewhere in {region}.",
        ],
    },
    "raid": {
        "lead": [
            "{force_cap} arrested {n} suspected members of {group} in [raids|an operation|a sweep] across "
            "{region} on {day}, the [authorities|interior ministry|prosecutor] said.",
            "Security forces raided several [homes|compounds|shops] in {town} before dawn on {day} and "
            "[detained|arrested] {n} people accused of [supplying|financing|sheltering] {group}.",
            "{force_cap} said on {day} it had [dismantled|broken up] a [cell|network] of {group} in {town} "
            "and seized [weapons and explosives|rifles and cash|bomb-making material].",
        ],
        "detail": [
            "Officers seized {weapon}, [ammunition|cash|radios] and several [vehicles|motorbikes], according "
            "to a police [statement|spokesman].",
            "Relatives of those detained said they had not been told where the [men|suspects] were being "
            "[held|kept].",
            "The suspects will appear before a [special court|military court|judge] in the capital, the "
            "prosecutor's office said.",
            "The raids came a week after an attack on a [checkpoint|police station|patrol] near {town} "
            "killed {k} [officers|policemen].",
        ],
        "toll": [
            "One suspect was killed in an exchange of fire and {k} officers were [slightly|lightly] wounded, "
            "police said.",
            "The authorities said {w} people were later released after questioning.",
        ],
    },
    "talks": {
        "lead": [
            "The government of {country} and {group} agreed on {day} to a ceasefire in {region}, after "
            "talks [mediated|brokered] by [regional leaders|the African Union|religious leaders].",
            "Negotiators for {country}'s government and {group} ended a {k}-day round of talks on {day} "
            "without [agreement|a deal] on a ceasefire.",
            "{group_cap} rejected on {day} a government offer of talks, saying [attacks|operations|raids] by "
            "{force} in {region} must stop first.",
        ],
        "detail": [
            "Under the deal, both sides are to withdraw fighters from {town} and allow aid [convoys|"
            "agencies|workers] to reach displaced families.",
            "Mediators said a new round of talks would begin in {n} days, and that prisoner exchanges "
            "were on the agenda.",
            "The previous ceasefire collapsed within [weeks|days|a month], with each side accusing the other "
            "of violations.",
        ],
        "toll": [
            "Fighting in {region} has forced more than {k}0,000 people from their homes this year, "
            "according to the United Nations.",
        ],
    },
}

GENERIC_TEMPLATES: dict[str, list[str]] = {
    "quote": [
        '"We heard [gunshots|explosions|shooting] all night and we could not leave our homes," {name}, a '
        "[resident|trader|farmer] [of|from] {town}, [told reporters|said by phone|told local radio].",
        '"The situation is under control and those responsible will be [found|hunted down|caught] and '
        '[punished|brought to justice]," {role} {name} said in a statement.',
        '"This is a [tragedy|dark day|disaster] for our [community|town|country]," {role} {name} said on '
        "[local radio|state television], calling for calm.",
        '"We have sent reinforcements and the area is now [secure|calm|under control]," said {name}, the '
        "{role}.",
        '{name}, the {role}, said the authorities had "opened an investigation" and would give a full '
        "account within [days|a week|48 hours].",
        '"People are [afraid|terrified|exhausted], and many families have already [left|fled]," said '
        "{name}, a [teacher|nurse|pastor] in {town}.",
    ],
    "reaction": [
        "The United Nations [condemned|denounced] the [violence|attack|killings] and called on all "
        "parties to protect civilians.",
        "The government declared {k} days of national mourning and ordered flags flown at half-mast.",
        "The African Union said it was [deeply concerned|alarmed] and [urged restraint|called for calm].",
        "Opposition leaders accused the government of failing to protect the [population|people|"
        "civilians] and called for an [inquiry|independent investigation].",
        "Neighbouring countries [closed|tightened controls on] their borders in the area as a "
        "precaution, officials said.",
        "Aid agencies said the [violence|fighting] had cut off access to [thousands|tens of thousands] "
        "of people who depend on food assistance.",
    ],
    "background": [
        "{country} has struggled to contain an insurgency that began in the north in 2012 and has since "
        "spread to the centre of the country.",
        "Violence in {region} has killed thousands of people and displaced hundreds of thousands over the "
        "past decade, according to the United Nations.",
        "The military took power in a coup in 2021 and has promised to restore security, but attacks have "
        "continued.",
        "{group_cap} has carried out a series of attacks on military posts and villages in {region} in "
        "recent months.",
        "The region is home to gold mines and lies on trade routes that armed groups have fought to "
        "control for years.",
        "Elections scheduled for next year have been postponed twice because of insecurity.",
    ],
    "context": [
        "It was the deadliest [incident|attack|day] in {region} since {month}, when {k}0 people were "
        "killed in a single [day|attack].",
        "Local officials said access to the area was [difficult|restricted] and that [communications|"
        "phone lines] had been cut.",
        "The road between {town} and the regional capital has been closed to civilian traffic since {month}.",
        "Humanitarian groups have warned that the lean season will worsen hunger in the region.",
        "The authorities imposed a [night|dusk-to-dawn] curfew in {town} and banned [motorcycle|"
        "night-time] traffic.",
    ],
}
MONTHS = ["January", "March", "May", "August", "October", "December"]

# Outlet additions: a local angle paragraph or sentence.
LOCAL_ADDITIONS = [
    "Our correspondent in {town} said the market remained closed on the following day.",
    "The {outlet} was unable to reach the army for further comment.",
    "Several families from {town} have arrived in the capital in recent weeks, community leaders said.",
    "A similar attack in the same district in {month} left {k} people dead.",
    "Lawmakers from {region} said they would raise the issue in parliament next week.",
    "Telephone networks in the area were down for much of the day, making it hard to confirm details.",
]
FURNITURE_TOP = [
    "By {name}, {outlet} correspondent",
    "{outlet} | World | Africa",
    "Home > News > World",
    "Published {day} 14:32 GMT | Updated 2 hours ago",
    "Listen to this article",
]
FURNITURE_BOTTOM = [
    "Read more: {other}",
    "Share this article: Facebook Twitter WhatsApp Email",
    "© 2025 {outlet}. All rights reserved.",
    "Subscribe to our newsletter for the latest updates.",
    "Photo: AFP / Getty Images",
    "Reporting by {name}; editing by {name2}",
    "Follow {outlet} on X and Instagram",
    "Related: {other}",
    "ePaper | Archive | Contact us | Advertise",
]
COPY_EDITS: list[tuple[str, str]] = [
    (r"\bon ({days})\b", r"\1"),
    (r"\btold reporters\b", "said"),
    (r"\bsaid in a statement\b", "said"),
    (r"\bat least\b", "some"),
    (r"\bdefence\b", "defense"),
    (r"\bneighbouring\b", "neighboring"),
    (r"\bOrganisers\b", "Organizers"),
    (r"\bkilling\b", "leaving dead"),
    (r"\bresidents said\b", "according to residents"),
    (r"\b([2-9]) ", "NUMWORD "),
    (r"\bthe authorities\b", "authorities"),
    (r"\bofficials said\b", "officials told the {outlet}"),
]
NUMWORDS = {
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
}
ROLE_ORDER = [
    "detail",
    "toll",
    "quote",
    "detail",
    "reaction",
    "quote",
    "background",
    "context",
    "reaction",
    "background",
    "quote",
]


@dataclass(slots=True)
class Story:
    story_id: int
    kind: str
    fillers: dict[str, str]
    paragraphs: list[str]
    templates: frozenset[str]
    relation: str = "plain"  # plain, sibling (of another story), follow-up
    parent: int | None = None


@dataclass(slots=True)
class Page:
    page_id: str
    story_id: int
    text: str
    edits: list[str] = field(default_factory=list)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fillers(rng: random.Random) -> dict[str, str]:
    town, region, country = rng.choice(PLACES)
    group = rng.choice(ARMED_GROUPS)
    force = rng.choice(FORCES)
    role, org = rng.choice(ROLES)
    day = rng.choice(DAYS)
    return {
        "town": town,
        "region": region,
        "country": country,
        "group": group,
        "group_cap": _cap(group),
        "force": force,
        "force_cap": _cap(force),
        "target": rng.choice(
            [
                "a village",
                "a military camp",
                "a gold mine",
                "a market",
                "a checkpoint",
                "a church",
                "a convoy",
            ]
        ),
        "n": str(rng.randint(3, 60)),
        "w": str(rng.randint(2, 40)),
        "k": str(rng.randint(2, 9)),
        "day": day,
        "day2": rng.choice([d for d in DAYS if d != day]),
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "name2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role": role,
        "org": org,
        "weapon": rng.choice(WEAPONS),
        "crowd": rng.choice(PROTESTERS),
        "month": rng.choice(MONTHS),
    }


_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def _vary(template: str, rng: random.Random) -> str:
    """Resolve "[a|b|c]" alternatives: the wording each agency or writer chose."""
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return re.sub(r"  +", " ", text)


def _fill(template: str, fillers: dict[str, str], rng: random.Random | None = None) -> str:
    return (_vary(template, rng) if rng else template).format(**fillers)


def _compose(
    rng: random.Random,
    kind: str,
    fillers: dict[str, str],
    n_paragraphs: int,
    avoid: frozenset[str] = frozenset(),
) -> tuple[list[str], frozenset[str]]:
    """A story (its paragraphs and the templates used): a lead, then paragraphs by role, each
    role's template picked at random.

    ``avoid`` holds templates not to reuse where the pool has others (a follow-up is newly written).
    """
    pools = {
        role: [t for t in pool if t not in avoid] or pool
        for role, pool in (KIND_TEMPLATES[kind] | GENERIC_TEMPLATES).items()
    }
    lead = rng.choice(pools["lead"])
    used: set[str] = {lead}
    paragraphs = [_fill(lead, fillers, rng)]
    for role in ROLE_ORDER:
        if len(paragraphs) >= n_paragraphs:
            break
        choices = [t for t in pools.get(role, []) if t not in used]
        if not choices:
            continue
        first = rng.choice(choices)
        used.add(first)
        text = _fill(first, fillers, rng)
        if rng.random() < 0.5:  # many paragraphs carry a second sentence
            more = [t for t in pools.get(role, []) if t not in used]
            if more:
                second = rng.choice(more)
                used.add(second)
                text += " " + _fill(second, fillers, rng)
        paragraphs.append(text)
    return paragraphs, frozenset(used)


def build_stories(rng: random.Random, n_stories: int) -> list[Story]:
    stories: list[Story] = []
    kinds = sorted(KIND_TEMPLATES)
    for story_id in range(n_stories):
        roll = rng.random()
        if stories and roll < 0.15:  # another agency's report of an event already covered
            parent = rng.choice([s for s in stories if s.relation == "plain"])
            paragraphs, used = _compose(rng, parent.kind, parent.fillers, rng.randint(7, 11))
            stories.append(
                Story(story_id, parent.kind, parent.fillers, paragraphs, used, "sibling", parent.story_id)
            )
            continue
        if stories and roll < 0.27:  # a later story on the same event reusing background paragraphs
            parent = rng.choice([s for s in stories if s.relation == "plain"])
            fillers = dict(parent.fillers)
            fillers["n"] = str(int(fillers["n"]) + rng.randint(2, 15))
            fillers["day"] = fillers["day2"]
            top, used = _compose(rng, parent.kind, fillers, rng.randint(4, 6), avoid=parent.templates)
            reused = parent.paragraphs[-rng.randint(2, 3) :]
            stories.append(
                Story(story_id, parent.kind, fillers, top + reused, used, "follow-up", parent.story_id)
            )
            continue
        kind = rng.choice(kinds)
        fillers = _fillers(rng)
        paragraphs, used = _compose(rng, kind, fillers, rng.randint(7, 11))
        stories.append(Story(story_id, kind, fillers, paragraphs, used))
    return stories


def _copy_edit(rng: random.Random, paragraphs: list[str], outlet: str) -> tuple[list[str], list[str]]:
    """A few light edits, each applied once to one paragraph where it matches."""
    edits = []
    out = list(paragraphs)
    for pattern, repl in rng.sample(COPY_EDITS, k=rng.randint(1, 4)):
        pattern = pattern.replace("{days}", "|".join(DAYS))
        candidates = [i for i, p in enumerate(out) if re.search(pattern, p)]
        if not candidates:
            continue
        i = rng.choice(candidates)
        if repl == "NUMWORD ":
            out[i] = re.sub(pattern, lambda m: NUMWORDS[m.group(1)] + " ", out[i], count=1)
        else:
            out[i] = re.sub(pattern, repl.replace("{outlet}", outlet), out[i], count=1)
        edits.append(pattern)
    return out, edits


def syndicate(rng: random.Random, story: Story, n_pages: int, headlines: list[str]) -> list[Page]:
    """Pages of one story as several outlets ran it."""
    pages = []
    outlets = rng.sample(OUTLETS, k=n_pages)
    for number, outlet in enumerate(outlets):
        paragraphs = list(story.paragraphs)
        edits: list[str] = []
        if number > 0:  # page 0 is the wire's own copy
            roll = rng.random()
            if roll < 0.3 and len(paragraphs) > 4:
                cut = rng.randint(1, min(3, len(paragraphs) - 3))
                paragraphs = paragraphs[:-cut]
                edits.append(f"trimmed {cut}")
            elif roll < 0.4 and len(paragraphs) > 6:  # a short version: roughly the first half
                keep = (len(paragraphs) + 1) // 2
                edits.append(f"trimmed {len(paragraphs) - keep}")
                paragraphs = paragraphs[:keep]
            if rng.random() < 0.35:
                extra = _fill(rng.choice(LOCAL_ADDITIONS), story.fillers | {"outlet": outlet}, rng)
                if rng.random() < 0.5:
                    at = rng.randint(2, len(paragraphs))
                    paragraphs.insert(at, extra)
                    edits.append("added paragraph")
                else:
                    at = rng.randint(1, len(paragraphs) - 1)
                    paragraphs[at] = paragraphs[at] + " " + extra
                    edits.append("added sentence")
            if rng.random() < 0.6:
                paragraphs, made = _copy_edit(rng, paragraphs, outlet)
                edits += [f"edit {m}" for m in made]
            if rng.random() < 0.5:
                town, country = story.fillers["town"].upper(), story.fillers["country"]
                paragraphs[0] = f"{town}, {country} ({outlet}) — {paragraphs[0]}"
                edits.append("dateline")
        values = story.fillers | {"outlet": outlet, "other": rng.choice(headlines)}
        top = [_fill(t, values) for t in rng.sample(FURNITURE_TOP, k=rng.randint(0, 2))]
        bottom = [_fill(t, values) for t in rng.sample(FURNITURE_BOTTOM, k=rng.randint(0, 4))]
        text = clean_body("\n\n".join(top + paragraphs + bottom))
        pages.append(Page(f"s{story.story_id}-p{number}", story.story_id, text, edits))
    return pages


def build_corpus(seed: int = 7, n_stories: int = 240) -> tuple[list[Story], list[Page]]:
    """Stories and their pages, in a shuffled arrival order."""
    rng = random.Random(seed)
    stories = build_stories(rng, n_stories)
    headlines = [s.paragraphs[0][:70] for s in stories]
    pages: list[Page] = []
    for story in stories:
        n_pages = 1 if rng.random() < 0.1 else rng.randint(2, 9)
        pages += syndicate(rng, story, n_pages, headlines)
    rng.shuffle(pages)
    return stories, pages


# -- evaluation ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Corpus:
    seed: int
    stories: list[Story]
    pages: list[Page]


@dataclass(slots=True)
class Scores:
    """Pairwise scores pooled over corpora (pairs summed, then divided)."""

    hits: int = 0
    predicted: int = 0
    gold: int = 0
    false_by_kind: Counter[str] = field(default_factory=Counter)
    whole: int = 0
    multi: int = 0
    seconds: float = 0.0
    pages: int = 0

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def cluster(pages: list[Page], options: DedupOptions, sigs: dict[str, Signature]) -> dict[str, str]:
    """Page id -> the page id of the first copy it was attached to (itself when new), one page at a
    time in arrival order, as ``ingest`` does."""
    index = NearDuplicateIndex(options)
    assigned: dict[str, str] = {}
    for page in pages:
        sig = sigs[page.page_id]
        match = index.find(sig)
        target = page.page_id if match is None else match.article_id
        assigned[page.page_id] = target
        index.add(page.page_id, target, sig)
    return assigned


def score_into(scores: Scores, corpus: Corpus, assigned: dict[str, str]) -> None:
    by_story: dict[int, list[str]] = defaultdict(list)
    by_cluster: dict[str, list[str]] = defaultdict(list)
    story_of = {p.page_id: p.story_id for p in corpus.pages}
    for page in corpus.pages:
        by_story[page.story_id].append(page.page_id)
        by_cluster[assigned[page.page_id]].append(page.page_id)
    gold = pairs_of(by_story.values())
    predicted = pairs_of(by_cluster.values())
    scores.hits += len(gold & predicted)
    scores.gold += len(gold)
    scores.predicted += len(predicted)
    event = {s.story_id: s.parent if s.parent is not None else s.story_id for s in corpus.stories}
    relation = {s.story_id: s.relation for s in corpus.stories}
    for a, b in predicted - gold:
        sa, sb = story_of[a], story_of[b]
        if event[sa] == event[sb]:
            scores.false_by_kind["+".join(sorted({relation[sa], relation[sb]} - {"plain"}))] += 1
        else:
            scores.false_by_kind["unrelated"] += 1
    multi = [ids for ids in by_story.values() if len(ids) > 1]
    scores.multi += len(multi)
    scores.whole += sum(1 for ids in multi if len({assigned[i] for i in ids}) == 1)


SignatureCache = dict[tuple[int, int, int], dict[str, Signature]]


def evaluate(corpora: list[Corpus], options: DedupOptions, cache: SignatureCache) -> Scores:
    scores = Scores()
    for corpus in corpora:
        key = (corpus.seed, options.shingle_words, options.num_perm)
        if key not in cache:
            cache[key] = {p.page_id: signature(p.text, options) for p in corpus.pages}
        started = time.perf_counter()
        assigned = cluster(corpus.pages, options, cache[key])
        scores.seconds += time.perf_counter() - started
        scores.pages += len(corpus.pages)
        score_into(scores, corpus, assigned)
    return scores


def exact_similarity(pages: list[Page], size: int) -> tuple[list[float], list[float]]:
    """Exact max(Jaccard, containment) of every gold pair and of every other pair: how separable
    the two classes are before MinHash adds its estimation error."""
    import numpy as np
    import scipy.sparse as sparse

    vocab: dict[bytes, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, page in enumerate(pages):
        for shingle in shingles(page.text, size):
            rows.append(i)
            cols.append(vocab.setdefault(shingle, len(vocab)))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pages), len(vocab)))
    inter = (matrix @ matrix.T).toarray()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    jaccard = inter / (sizes[:, None] + sizes[None, :] - inter)
    containment = inter / np.minimum(sizes[:, None], sizes[None, :])
    value = np.maximum(jaccard, containment)
    story = np.array([p.story_id for p in pages])
    upper = np.triu_indices(len(pages), 1)
    same = (story[:, None] == story[None, :])[upper]
    return sorted(value[upper][same].tolist()), sorted(value[upper][~same].tolist())


def rebuild_timing(n: int) -> tuple[float, float, float]:
    """Seconds to bulk-write n articles with signatures, seconds for ``Deduplicator.load`` to
    rebuild the index from them, and the database size in MB."""
    import tempfile
    from datetime import UTC, datetime

    import numpy as np
    from sqlalchemy import insert

    from eventwire.dedup import Deduplicator
    from eventwire.store import Store
    from eventwire.store.schema import ArticleRow
    from eventwire.store.signatures import SignatureRow, SignatureStore

    options = DedupOptions()
    rng = np.random.default_rng(3)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rebuild.db"
        store = Store.open(f"sqlite:///{path}")
        SignatureStore(store)
        started = time.perf_counter()
        with store.engine.begin() as conn:
            for start in range(0, n, 10_000):
                ids = [f"{i:016x}" for i in range(start, min(n, start + 10_000))]
                conn.execute(insert(ArticleRow), [{"id": i, "body": "x", "ingested_at": now} for i in ids])
                values = rng.integers(0, 2**32, size=(len(ids), options.num_perm), dtype=np.uint64)
                rows = [
                    {
                        "key": i,
                        "article_id": i,
                        "scheme": options.scheme,
                        "size": 300,
                        "hashvalues": v.astype("<u4").tobytes(),
                    }
                    for i, v in zip(ids, values, strict=True)
                ]
                conn.execute(insert(SignatureRow), rows)
        written = time.perf_counter() - started
        started = time.perf_counter()
        loaded = Deduplicator(store, options).load()
        rebuilt = time.perf_counter() - started
        if loaded != n:
            raise RuntimeError(f"loaded {loaded} signatures, expected {n}")
        store.close()
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    return written, rebuilt, size_mb


HEADER = (
    "| setting | precision | recall | F1 | stories kept whole | false pairs by kind |\n"
    "|---|---|---|---|---|---|"
)


def _row(label: str, s: Scores) -> str:
    false = ", ".join(f"{k} {v}" for k, v in sorted(s.false_by_kind.items())) or "-"
    return f"| {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.whole}/{s.multi} | {false} |"


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 23], help="one corpus per seed")
    parser.add_argument("--stories", type=int, default=240, help="stories per corpus")
    parser.add_argument("--rebuild", type=int, default=0, help="also time an index rebuild of N signatures")
    parser.add_argument("--quick", action="store_true", help="only the default setting")
    args = parser.parse_args(list(argv) if argv is not None else None)

    corpora = [Corpus(seed, *build_corpus(seed, args.stories)) for seed in args.seeds]
    for c in corpora:
        gold = pairs_of([[p.page_id for p in c.pages if p.story_id == s.story_id] for s in c.stories])
        relations = Counter(s.relation for s in c.stories)
        print(
            f"corpus seed {c.seed}: {len(c.stories)} stories "
            f"({', '.join(f'{k} {v}' for k, v in sorted(relations.items()))}), {len(c.pages)} pages, "
            f"{len(gold)} gold pairs"
        )
    default = DedupOptions()
    cache: SignatureCache = {}
    started = time.perf_counter()
    base = evaluate(corpora, default, cache)
    signing = time.perf_counter() - started - base.seconds
    print(
        f"\ndefault {default.scheme}, candidates at Jaccard {default.candidate_threshold}, threshold "
        f"{default.threshold}: signature {1000 * signing / base.pages:.2f} ms/page, find+add "
        f"{1000 * base.seconds / base.pages:.2f} ms/page\n"
    )
    print(HEADER)
    print(_row("default", base))
    if not args.quick:
        print("\nscore = max(Jaccard, containment): shingle size x permutations x threshold\n")
        print(HEADER)
        for words_ in (4, 5, 6):
            for perms in (128, 256):
                for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
                    options = replace(default, shingle_words=words_, num_perm=perms, threshold=threshold)
                    label = f"{words_} words, {perms} perm, threshold {threshold}"
                    print(_row(label, evaluate(corpora, options, cache)))
        print("\nscore = Jaccard alone (plain MinHash LSH; candidates at the threshold)\n")
        print(HEADER)
        for words_ in (4, 5):
            for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
                options = replace(
                    default,
                    shingle_words=words_,
                    threshold=threshold,
                    candidate_threshold=threshold,
                    use_containment=False,
                )
                label = f"{words_} words, Jaccard >= {threshold}"
                print(_row(label, evaluate(corpora, options, cache)))
        print("\none change at a time from the default\n")
        print(HEADER)
        for changes in (
            {"candidate_threshold": 0.2},
            {"candidate_threshold": 0.4},
            {"candidate_threshold": 0.5},
            {"index_copies": False},
            {"num_perm": 64},
        ):
            options = replace(default, **changes)
            label = ", ".join(f"{k}={v}" for k, v in changes.items())
            print(_row(label, evaluate(corpora, options, cache)))
        for c in corpora[:1]:
            positives, negatives = exact_similarity(c.pages, default.shingle_words)
            print(
                f"\nexact max(Jaccard, containment), seed {c.seed}, {default.shingle_words}-word shingles: "
                f"gold pairs min {positives[0]:.3f}, 1st percentile {positives[len(positives) // 100]:.3f}, "
                f"median {positives[len(positives) // 2]:.3f}; other pairs max {negatives[-1]:.3f}, "
                f"10th highest {negatives[-10]:.3f}, 100th highest {negatives[-100]:.3f} "
                f"({len(negatives)} pairs)"
            )
    if args.rebuild:
        written, rebuilt, size_mb = rebuild_timing(args.rebuild)
        print(
            f"\nrebuild: {args.rebuild} signatures bulk-written in {written:.1f} s; index rebuilt from "
            f"SQLite by Deduplicator.load in {rebuilt:.1f} s; database {size_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
