"""ACLED event and sub-event types for a coded mention, from ACLED's own definitions.

The coder gives each trigger a *hint* (``clash``, ``air``, ``territory``, ``arrest``, ...: see
``ontology.json``); this module turns the hint into one of ACLED's 25 sub-event types using what
ACLED's codebook uses to tell them apart:

* who acted: state forces take territory back, non-state actors overtake it; demonstrators who
  turn violent make a riot, a mob that is not demonstrating makes mob violence;
* on whom: organised armed groups on both sides make an armed clash, unarmed targets (civilians,
  officials, a village, a church) make violence against civilians, demonstrators make force
  against protesters (excessive when lethal);
* with what: an aircraft or drone, artillery or missiles, a grenade, a planted explosive, a
  suicide bomber or a chemical agent make the remote-violence sub-types whatever the verb was.

Every choice is returned with the reason, which the coder appends to the mention's ``rule``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ARMED_KINDS = frozenset({"military", "police", "rebel", "armed_group", "militia", "state"})
STATE_KINDS = frozenset({"state", "military", "police", "government"})
UNARMED_KINDS = frozenset({"civilians", "person", "government", "media", "ngo", "party"})
MOB_KINDS = frozenset({"rioters", "civilians", "identity group"})
REMOTE = ("air", "drone", "shelling", "grenade", "ied")
SYMMETRIC = frozenset(
    {"clash", "fight", "battle", "skirmish", "scuffle", "confrontation", "fighting", "clashes"}
)
RECLAIM = frozenset(
    {"retake", "recapture", "regain", "liberate", "free", "reclaim", "recover", "drive back", "push back"}
)
ADVANCES = frozenset({"advance", "enter", "move in", "march", "push", "sweep"})  # moving in, not fighting
VICTIM_LEMMAS = frozenset({"kill", "wound", "injure", "shoot", "die", "murder", "maim", "beat"})
STRATEGIC_FIXED = {"disrupted", "base", "change", "agreement", "other"}


@dataclass(slots=True)
class AcledFacts:
    """What the coder knows about one mention that ACLED's definitions depend on."""

    hint: str
    plover: str
    lemma: str
    actor1_kind: str | None = None
    actor2_kind: str | None = None
    target: str | None = None  # "civilian", "armed" or "protest": the attacked noun's class
    cues: set[str] = field(default_factory=set)  # instrument hints of the trigger's clause, then sentence
    own_cues: set[str] = field(default_factory=set)  # instrument hints of the trigger's own clause only
    protest_context: bool = False  # the sentence or a neighbour names a demonstration or rioters
    lethal: bool = False  # deaths, live fire or 'violently' in the clause
    violent: bool = False  # the trigger is called violent ("violent protests", "turned violent")
    mob: bool = False  # the agent is called a mob or a lynch mob, not rioters or demonstrators
    territorial: bool = False  # the trigger's object or source is a place or territory
    in_riot: bool = False  # the act is part of a clause about rioting ("rioted, looting shops and ...")
    unopposed: bool = False  # the sentence says it happened without fighting or resistance
    contested: bool = False  # a withdrawal under fire or from a place the sentence says was fought over


DEFAULT_REASONS = frozenset({
    "fighting with no unarmed target named", "killing with no armed target named",
    "gunmen or attackers with no armed target named", "demonstration",
})  # fmt: skip


def classify(facts: AcledFacts) -> tuple[str, str] | None:
    """The ACLED hint (a key of ``ontology.json`` hints) and why, or None when ACLED codes nothing.

    A reason in ``DEFAULT_REASONS`` means no cue decided the sub-type: the coder trusts it less.
    """
    hint, a1, a2 = facts.hint, facts.actor1_kind, facts.actor2_kind
    cues = facts.cues
    rioting = not facts.mob and (
        a1 == "protesters"
        or a1 == "rioters"
        or (a1 in MOB_KINDS and facts.protest_context)
        or (facts.in_riot and a1 not in ARMED_KINDS)
    )
    if facts.plover == "PROTEST":
        if hint == "riot" or facts.violent:
            return ("mob", "a mob rioting") if facts.mob else ("riot", "violent demonstration")
        if hint == "protest":
            if "protest_force" in facts.own_cues:
                return "protest_force", "demonstration met by lethal force in the same clause"
            if "protest_intervention" in facts.own_cues:
                return "protest_intervention", "demonstration met by police action in the same clause"
            return "protest", "demonstration"
        return None
    if hint in ("sexual", "abduct"):
        return hint, f"{hint} trigger"
    if (
        facts.protest_context
        and hint == "clash"
        and facts.lemma in SYMMETRIC
        and a1 not in ARMED_KINDS - STATE_KINDS
    ):
        return "riot", "clashes during a demonstration"
    if (
        facts.plover == "ASSAULT"
        and "protest_intervention" in facts.own_cues
        and (a1 in STATE_KINDS or a1 is None)
        and (facts.protest_context or a2 in ("protesters", "rioters", "civilians", None))
    ):
        return (
            ("protest_force", "lethal force on demonstrators")
            if facts.lethal
            else ("protest_intervention", "crowd-control weapons used on demonstrators")
        )
    if hint == "disrupted" and facts.own_cues & {"air", "drone", "shelling"}:
        instrument = next(c for c in ("air", "drone", "shelling") if c in facts.own_cues)
        return (
            "air" if instrument == "drone" else instrument
        ), "weapons or depots destroyed from the air or by artillery"
    if hint in STRATEGIC_FIXED:
        return hint, f"{hint} trigger"
    if hint == "transfer":
        if facts.territorial and not facts.contested:
            return "transfer", "withdrawal from or handover of territory"
        return None
    if hint == "arrest" and a1 in ARMED_KINDS - STATE_KINDS:
        return "abduct", "people seized by a non-state armed group"
    if hint == "arrest":
        if facts.protest_context and (a2 in ("protesters", "civilians", None) or facts.target == "protest"):
            return "protest_intervention", "arrests at a demonstration"
        return "arrest", "arrest"
    if hint == "protest_intervention":
        if facts.lethal:
            return "protest_force", "lethal or violent force on demonstrators"
        return "protest_intervention", "demonstration dispersed or suppressed"
    military_target = facts.target == "armed" or a2 in ARMED_KINDS or facts.own_cues & set(REMOTE)
    if hint == "loot" and not (a1 in ARMED_KINDS and military_target):
        if rioting or (facts.protest_context and a1 is None):
            return "riot", "demonstrators destroying property"
        if facts.mob:
            return "mob", "a mob destroying property"
        return "loot", "property destroyed or looted"
    if hint == "mob":
        return "mob", "lynching"
    if "chemical" in cues:
        return "chemical", "chemical agent named"
    if hint == "suicide" or ("suicide" in cues and hint != "territory"):
        return "suicide", "suicide attack"
    if hint == "clash" and facts.unopposed and facts.lemma in ADVANCES:
        return "transfer", "forces moved in without fighting"
    if hint == "territory":
        if facts.unopposed:  # ACLED: territory that changes hands without fighting is a transfer
            return "transfer", "territory taken without fighting"
        if a1 in STATE_KINDS:
            return "territory_state", "state forces took territory"
        if a1 in ARMED_KINDS or a1 in ("armed_group",):
            return "territory", "non-state actor took territory"
        if (
            facts.lemma in RECLAIM
            or facts.lemma.split()[0] in RECLAIM
            or a2 in ("rebel", "armed_group", "militia")
        ):
            return "territory_state", "territory retaken (no named actor)"
        return "territory", "territory taken (no named actor)"
    # Violence by demonstrators or a mob is a riot whatever its weapon.
    if rioting:
        return "riot", "demonstrators using violence"
    if facts.mob or a1 in ("rioters", "identity group") or (a1 == "civilians" and a2 not in ARMED_KINDS):
        return "mob", "violence by a mob or crowd"
    victims_at_protest = (
        facts.protest_context
        and facts.lemma in VICTIM_LEMMAS
        and a1 in STATE_KINDS | {None}
        and a2 in ("protesters", "civilians", None)
    )
    if victims_at_protest:
        return "protest_force", "demonstrators killed or injured"
    if facts.target == "protest" or a2 == "protesters":
        if a1 in MOB_KINDS:
            return "mob", "a crowd attacking demonstrators"
        if facts.lemma in SYMMETRIC:
            return "riot", "clashes between demonstrators and police"
        if facts.lethal:
            return "protest_force", "lethal or violent force on demonstrators"
        return "protest_intervention", "force used on demonstrators"
    for instrument in REMOTE:
        if instrument in cues:
            return ("air" if instrument == "drone" else instrument), f"instrument: {instrument}"
    if hint == "air":  # 'struck', 'bombed', 'strikes' with no instrument named
        if "bomb" in facts.lemma and a1 not in STATE_KINDS:
            return "ied", "bombing by a non-state or unnamed actor"
        if a1 in STATE_KINDS or a1 is None:
            return "air", "strike by state forces or unnamed, no instrument named"
    if hint in ("shelling", "ied", "grenade", "chemical", "suicide"):
        return hint, f"{hint} trigger"
    if facts.target == "armed":
        return "clash", "armed target"
    if facts.target == "civilian":
        return "civilian_attack", "unarmed target"
    if a2 in ARMED_KINDS:
        return "clash", "armed actors on both sides"
    if a2 in UNARMED_KINDS:
        return "civilian_attack", "unarmed target"
    if hint == "civilian_attack":
        return "civilian_attack", "killing with no armed target named"
    if a1 == "armed_group":
        return "civilian_attack", "gunmen or attackers with no armed target named"
    return "clash", "fighting with no unarmed target named"
