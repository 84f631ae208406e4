"""Figures of speech that use the words of death or violence about ordinary things: "my insurance
will be the death of me", "this wait is killing me", "I could murder a coffee", and requests to harm
other people's property or privacy (out of scope, not a risk to the writer).

These are not a triage outcome. They explain a message the classifier alone would call crisis, so
the classifier must then be surer (``crisis_alone_explained`` in the calibration). Any crisis rule
still decides on its own: "this job is killing me and I want to die" is crisis.
"""

from __future__ import annotations

from assistant.triage.rules import rule

RULES = [
    rule("figure_of_speech", "death_or_violence_idiom", [
        r"\b(?:be|is|was|will be|gonna be|going to be)\s+the death of (?:me|us)\b",
        r"\b(?:is|are|was|it'?s|this|that|they'?re|these|those)\s+(?:\w+\s+)?(?:killing|murdering) me\b",
        r"\b(?:dying|dyin) (?:to (?:know|try|see|hear|go|get|find out|ask)|for (?:a|some|my) (?:coffee|drink|snack|nap|cigarette|smoke|break))\b",
        r"\b(?:could|would|'d) (?:\w+ )?(?:murder|kill) (?:a|for a|for some|some) (?:coffee|drink|pizza|burger|beer|sandwich|nap|snack)\b",
        r"\b(?:could|would|'d) (?:\w+ )?(?:murder|kill) (?:someone|somebody|anyone|for) (?:for )?(?:a|an|the|some|one) (?:\w+ )?(?:slot|appointment|spot|seat|coffee|nap|day off|parking spot|answer|refund)\b",
        r"\bto die for\b|\bdead tired\b|\bdead on my feet\b|\bbored to death\b|\bscared to death\b|\bworried sick\b|\bkill(?:ed|ing)? (?:it|time)\b",
        r"\b(?:my )?(?:phone|battery|laptop|car|printer|wifi)\s+(?:is |was |just )?(?:dead|died|dying)\b",
    ], view="folded"),
]
