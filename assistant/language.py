"""The English language profile: the word lists that retrieval, answerability and composition read.

One place for them, so that another language is another module of the same shape. (The triage
rules keep their own vocabulary in ``assistant/triage/rules/vocabulary.py``: it describes risk, not
questions.)
"""

from __future__ import annotations

import re

from library.text import terms

QUESTION_WORDS = frozenset(
    terms(
        "difference different differ happen happens happening last lasts lasting mean means meaning need needs long much many "
        "take takes taking thing things kind kinds type types way ways work works working afterwards afterward "
        "before after start starting normal common usually typical explain tell know okay ok possible chance "
        "someone people person anyone feel feeling expect actually really basically literally honestly exactly "
        "specifically general generally regular normally typically true real heard hear read reading saw seen "
        "say says said friend stuff sort whole full completely ever even just still already get gets got "
        "getting make makes made use used using give giving given question questions answer wondering wonder "
        "curious guess think thought lot lots bit little pretty kinda sorta thanks please help"
    )
)
"""Words that frame a question rather than name its subject: they do not count toward coverage."""

QUANTITY_QUESTION = re.compile(
    r"\b(?:how (?:long|many|often|much|soon|quickly|fast|common|likely|frequent(?:ly)?|big|high|low|old)|"
    r"what (?:percentage|percent|proportion|share|fraction|are the (?:chances|odds)|is the (?:chance|success rate|rate|cost|price))|"
    r"how many times|what (?:age|dose|amount)|when (?:will|do|does|can|should) (?:i|you|people|patients|it)|how soon|"
    r"(?:cost|price|pay|how long|duration|last)\b)",
    re.IGNORECASE,
)
"""A question that asks how long, how many, how often or how common: its answer holds a figure."""

NUMBER_WORDS = re.compile(
    r"\b(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"sixty|hundred|half|quarter|third|once|twice|several|few|daily|weekly|monthly|hours?|minutes?|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)

LEANS_ON_CONTEXT = re.compile(
    r"^(?:this|that|these|those|it|its|it's|they|them|their|there|here|also|however|but|and|so|or|yet|other|another|others|"
    r"such|still|even so|in addition|additionally|moreover|furthermore|similarly|likewise|in contrast|instead|otherwise|"
    r"on the other hand|as a result|because of this|for this reason|for that reason|the same|both|either|neither|which|"
    r"then|thus|hence|therefore|meanwhile|again|further|finally|first|second|third|next|last|lastly|for example|for instance|"
    r"in (?:that|this|the same|one|another|a (?:small|single|later|separate|second|follow-up)) (?:study|trial|report|analysis|survey|group|paper|review)|"
    r"the (?:study|trial|report|authors|researchers|same study|group)|in (?:both|each|all) (?:studies|trials|groups|cases))\b",
    re.IGNORECASE,
)
"""Openings of a sentence that only makes sense after the one before it: never the first sentence
of an answer ("Other side effects...", "In that study, 40%...")."""

ABOUT_THE_PAGE = re.compile(
    r"\b(?:this|the|that|our) (?:guide|page|document|article|section|post|blog|website|site|faq)\b|\bthe page on\b|"
    r"\b(?:read on|keep reading|see below|see above|click|learn more|contact us|call us|book (?:a|an|your)|schedule (?:a|an|your))\b",
    re.IGNORECASE,
)
"""Sentences about the page itself, or calls to action: signposts for a reader, not answers."""

PARTS_OF_A_QUESTION = re.compile(
    r"\?\s+|\s*,?\s+(?:and|also|plus|or)\s+(?=(?:how|what|when|where|why|which|who|is|are|does|do|can|could|will|would|should|if)\b)",
    re.IGNORECASE,
)
"""Where a two-part question splits: "how long does it take and does it hurt?"."""

DOSE_FIGURE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|milligrams?|mcg|micrograms?|ml|mg/kg|mg per kilogram|milligrams? per kilogram)\b", re.IGNORECASE)
"""A dose figure: never quoted in a refusal of personal advice, so no figure can be read as the person's own."""
